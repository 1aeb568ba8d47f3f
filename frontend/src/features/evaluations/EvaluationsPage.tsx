import { BarChartOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, DatePicker, Form, InputNumber, Modal, Row, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { FormAlert } from '../../components/FormAlert';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { DATE_FORMAT, formatDate, formatNumber, toApiDate } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import { useAuth } from '../auth/context';
import { UnionSelect } from '../unions/UnionSelect';
import { useOpenRound, useRounds, useSchemes, useTodo, type EvaluationListQuery, type RoundRead } from './api';
import { EvaluationTable } from './EvaluationTable';
import { STATUS_COLOR, statusLabel } from './labels';

interface OpenValues {
  year: number;
  scheme_id: string;
  owner_union_id: string;
  self_assessment_deadline?: Dayjs;
  appraisal_deadline?: Dayjs;
}

function OpenRoundModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { me } = useAuth();
  const [form] = Form.useForm<OpenValues>();
  const problem = useFormProblem(form, ['year', 'scheme_id', 'owner_union_id', 'self_assessment_deadline', 'appraisal_deadline']);
  const { data: schemes } = useSchemes();
  const open = useOpenRound();
  const submit = async (v: OpenValues) => {
    problem.clear();
    try {
      const round = await open.mutateAsync({
        year: v.year,
        scheme_id: v.scheme_id,
        owner_union_id: v.owner_union_id,
        self_assessment_deadline: toApiDate(v.self_assessment_deadline),
        appraisal_deadline: toApiDate(v.appraisal_deadline),
      });
      message.success(t('round.opened', { name: round.name }));
      onClose();
      navigate(`/evaluations/rounds/${round.id}`);
    } catch (e) {
      problem.show(e);
    }
  };
  const first = me?.roles[0];
  return (
    <Modal
      open
      title={t('evaluations.openRound')}
      onCancel={onClose}
      okText={t('round.openSubmit')}
      okButtonProps={{ htmlType: 'submit', loading: open.isPending }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      width={560}
      modalRender={(node) => (
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          clearOnDestroy
          initialValues={{ year: new Date().getFullYear(), owner_union_id: first?.union_id }}
        >
          {node}
        </Form>
      )}
    >
      <FormAlert messages={problem.general} />
      <Form.Item name="year" label={t('round.year')} rules={[{ required: true }]}>
        <InputNumber min={2000} max={2100} style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name="scheme_id" label={t('round.scheme')} rules={[{ required: true }]}>
        <Select
          options={(schemes ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.legal_basis})` }))}
          placeholder={t('round.scheme')}
        />
      </Form.Item>
      <Form.Item name="owner_union_id" label={t('round.owner')} extra={t('round.ownerHint')} rules={[{ required: true }]}>
        <UnionSelect
          levels={['province_federation', 'direct_superior']}
          initialOption={first ? { id: first.union_id, name: first.union_name } : null}
        />
      </Form.Item>
      <Space size="large" wrap>
        <Form.Item name="self_assessment_deadline" label={t('round.selfDeadline')}>
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
        <Form.Item name="appraisal_deadline" label={t('round.appraisalDeadline')}>
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
      </Space>
    </Modal>
  );
}

function RoundTable() {
  const { t } = useI18n();
  const [page, setPage] = useState({ page: 1, size: 20 });
  const { data, isPending, isFetching, isError, error, refetch } = useRounds(page);
  const columns: ColumnsType<RoundRead> = [
    { key: 'year', title: t('round.year'), width: 80, render: (_, r) => r.year },
    { key: 'name', title: t('round.name'), render: (_, r) => <Link to={`/evaluations/rounds/${r.id}`}>{r.name}</Link> },
    { key: 'owner', title: t('round.owner'), render: (_, r) => r.owner_union_name },
    {
      key: 'deadlines',
      title: `${t('round.selfDeadline')} / ${t('round.appraisalDeadline')}`,
      width: 220,
      render: (_, r) => `${formatDate(r.self_assessment_deadline) || '—'} / ${formatDate(r.appraisal_deadline) || '—'}`,
    },
    {
      key: 'progress',
      title: t('round.progress'),
      render: (_, r) => (
        <Space size={[4, 4]} wrap>
          {Object.entries(r.counts)
            .filter(([, n]) => n > 0)
            .map(([status, n]) => (
              <Tag key={status} color={STATUS_COLOR[status as keyof typeof STATUS_COLOR]}>
                {statusLabel(t, status)}: {formatNumber(n)}
              </Tag>
            ))}
        </Space>
      ),
    },
    {
      key: 'status',
      title: t('round.status'),
      width: 130,
      render: (_, r) => <Tag color={r.status === 'published' ? 'green' : 'blue'}>{t(`round.status.${r.status}`)}</Tag>,
    },
  ];
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  return (
    <Table<RoundRead>
      rowKey="id"
      size="middle"
      data-testid="rounds"
      loading={isPending || isFetching}
      dataSource={data?.items ?? []}
      columns={columns}
      scroll={{ x: 1000 }}
      locale={{ emptyText: <EmptyState description={t('evaluations.noRounds')} /> }}
      onChange={(p) => setPage({ page: p.current ?? 1, size: p.pageSize ?? 20 })}
      pagination={{ current: page.page, pageSize: page.size, total: data?.total ?? 0, hideOnSinglePage: true }}
    />
  );
}

function QueueTable({ status, overdue, empty, testId }: { status?: EvaluationListQuery['status']; overdue?: boolean; empty: string; testId: string }) {
  const [page, setPage] = useState({ page: 1, size: 20 });
  return (
    <EvaluationTable
      query={{ ...(status ? { status } : {}), ...(overdue ? { overdue } : {}), ...page }}
      onPage={(p, size) => setPage({ page: p, size })}
      empty={empty}
      showYear
      testId={testId}
    />
  );
}

export default function EvaluationsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [opening, setOpening] = useState(false);
  const todo = useTodo();
  const appraiser = can('evaluations:appraise');
  const tabs = [
    ...(appraiser
      ? [{ key: 'queue', label: t('evaluations.queue'), children: <QueueTable status={['submitted']} empty={t('evaluations.queueEmpty')} testId="queue" /> }]
      : [{ key: 'mine', label: t('evaluations.mine'), children: <QueueTable status={['draft', 'returned']} empty={t('evaluations.mineEmpty')} testId="mine" /> }]),
    { key: 'late', label: t('evaluations.late'), children: <QueueTable overdue empty={t('evaluations.lateEmpty')} testId="late" /> },
    { key: 'rounds', label: t('evaluations.rounds'), children: <RoundTable /> },
  ];
  const active = tabs.some((tab) => tab.key === params.get('tab')) ? params.get('tab')! : tabs[0].key;
  const d = todo.data;
  return (
    <section aria-labelledby="evaluations-title">
      <div className="page-header">
        <Typography.Title level={2} id="evaluations-title">
          {t('evaluations.title')}
        </Typography.Title>
        <Space wrap>
          <Button icon={<BarChartOutlined />} onClick={() => navigate('/evaluations/results')}>
            {t('evaluations.results')}
          </Button>
          {appraiser ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)}>
              {t('evaluations.openRound')}
            </Button>
          ) : null}
        </Space>
      </div>
      <Card title={t('evaluations.todoTitle')} style={{ marginBottom: 16 }} data-testid="evaluation-todo">
        <Row gutter={16}>
          <Col xs={24} sm={8}>
            <Statistic title={t('evaluations.toSubmit')} value={d?.to_submit ?? 0} loading={todo.isPending} />
            {d?.overdue_self_assessments ? <Typography.Text type="danger">{t('evaluations.overdue', { n: d.overdue_self_assessments })}</Typography.Text> : null}
          </Col>
          <Col xs={24} sm={8}>
            <Statistic title={t('evaluations.returned')} value={d?.returned ?? 0} loading={todo.isPending} />
          </Col>
          <Col xs={24} sm={8}>
            <Statistic title={t('evaluations.toAppraise')} value={d?.to_appraise ?? 0} loading={todo.isPending} />
            {d?.overdue_appraisals ? <Typography.Text type="danger">{t('evaluations.overdue', { n: d.overdue_appraisals })}</Typography.Text> : null}
          </Col>
        </Row>
      </Card>
      <Card>
        <Tabs activeKey={active} onChange={(k) => setParams({ tab: k }, { replace: true })} items={tabs} />
      </Card>
      {opening ? <OpenRoundModal onClose={() => setOpening(false)} /> : null}
    </section>
  );
}
