import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { LoadNote } from '../../components/SelectNote';
import { FormAlert } from '../../components/FormAlert';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { DATE_FORMAT, formatDate, formatNumber, toApiDate } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import { useAuth } from '../auth/context';
import { UnionSelect } from '../unions/UnionSelect';
import { useCreateRequest, useReports, useRequests, useTemplates, type ReportRequest, type ReportSummary } from './api';
import { STATUS_COLOR } from './labels';
import { UnitsAndNote } from './RequestFields';

/** Periodic reports: the unit's own reports (an inbox) and the requests sent down. */
export default function ReportsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'requests' ? 'requests' : 'mine';
  const [creating, setCreating] = useState(false);
  return (
    <section aria-labelledby="reports-title">
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="reports-title">
            {t('reports.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('reports.intro')}</Typography.Text>
        </div>
        <Space wrap>
          {can('report_templates:manage') ? <Link to="/reports/templates">{t('templates.open')}</Link> : null}
          {can('reports:review') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('reports.newRequest')}
            </Button>
          ) : null}
        </Space>
      </div>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'requests' ? { tab: k } : {})}
        items={[
          { key: 'mine', label: t('reports.mine'), children: <MyReports /> },
          { key: 'requests', label: t('reports.requests'), children: <Requests /> },
        ]}
      />
      {creating ? <CreateRequestModal onClose={() => setCreating(false)} /> : null}
    </section>
  );
}

function MyReports() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const { data, isPending, isError, error, refetch } = useReports({ consolidated: false, page, size: 20 });
  if (isError) return <ErrorState error={error} onRetry={() => void refetch()} />;
  return (
    <Card>
      <Table<ReportSummary>
        rowKey="id"
        loading={isPending}
        dataSource={data?.items ?? []}
        data-testid="my-reports"
        locale={{ emptyText: <EmptyState description={t('reports.noReports')} /> }}
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('reports.report'),
            key: 'title',
            render: (_, r) => (
              <div>
                <Link to={`/reports/${r.id}`}>{r.title}</Link>
                <div className="muted-small">{r.template.name}</div>
              </div>
            ),
          },
          { title: t('reports.unit'), dataIndex: 'union_name', width: 240 },
          { title: t('reports.period'), key: 'period', width: 200, render: (_, r) => `${formatDate(r.period_from)} – ${formatDate(r.period_to)}` },
          { title: t('reports.deadline'), dataIndex: 'deadline', width: 120, render: (d: string) => formatDate(d) },
          {
            title: t('reports.status'),
            key: 'status',
            width: 200,
            render: (_, r) => (
              <span>
                <Tag color={STATUS_COLOR[r.status]}>{t(`reportStatus.${r.status}`)}</Tag>
                {r.late ? <Tag color="error">{t('reports.late')}</Tag> : null}
              </span>
            ),
          },
        ]}
      />
    </Card>
  );
}

function Requests() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const { data, isPending, isError, error, refetch } = useRequests(page);
  if (isError) return <ErrorState error={error} onRetry={() => void refetch()} />;
  return (
    <Card>
      <Table<ReportRequest>
        rowKey="id"
        loading={isPending}
        dataSource={data?.items ?? []}
        data-testid="report-requests"
        locale={{ emptyText: <EmptyState description={t('reports.noRequests')} /> }}
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('reports.request'),
            key: 'title',
            render: (_, r) => (
              <div>
                <Link to={`/reports/requests/${r.id}`}>{r.title}</Link>
                <div className="muted-small">{r.template.name}</div>
              </div>
            ),
          },
          { title: t('reports.askedBy'), dataIndex: 'union_name', width: 240 },
          { title: t('reports.period'), key: 'period', width: 200, render: (_, r) => `${formatDate(r.period_from)} – ${formatDate(r.period_to)}` },
          { title: t('reports.deadline'), dataIndex: 'deadline', width: 120, render: (d: string) => formatDate(d) },
          { title: t('reports.units'), dataIndex: 'units', width: 100, align: 'right', render: (n: number) => formatNumber(n) },
        ]}
      />
    </Card>
  );
}

interface RequestValues {
  union_id: string;
  template_id: string;
  title?: string;
  period_from: Dayjs;
  period_to: Dayjs;
  deadline: Dayjs;
  note?: string;
  unit_ids?: string[];
}

const REQUEST_FIELDS = ['union_id', 'template_id', 'title', 'period_from', 'period_to', 'deadline', 'note', 'unit_ids'] as const;

function CreateRequestModal({ onClose }: { onClose: () => void }) {
  const { t, te } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<RequestValues>();
  const problem = useFormProblem(form, REQUEST_FIELDS);
  const templates = useTemplates();
  const create = useCreateRequest();
  const home = me?.roles[0];
  const unionId = Form.useWatch('union_id', form) ?? home?.union_id;

  const submit = async (v: RequestValues) => {
    problem.clear();
    try {
      const created = await create.mutateAsync({
        union_id: v.union_id,
        template_id: v.template_id,
        title: v.title?.trim() || null,
        period_from: toApiDate(v.period_from)!,
        period_to: toApiDate(v.period_to)!,
        deadline: toApiDate(v.deadline)!,
        note: v.note?.trim() || null,
        unit_ids: v.unit_ids?.length ? v.unit_ids : null,
      });
      message.success(t('reports.requestSent', { n: formatNumber(created.units) }));
      onClose();
      navigate(`/reports/requests/${created.id}`);
    } catch (e) {
      problem.show(e);
    }
  };

  return (
    <Modal
      open
      width={680}
      title={t('reports.newRequest')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('reports.send')}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <FormAlert messages={problem.general} />
      <Form<RequestValues> form={form} name="report-request" layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ union_id: home?.union_id }}>
        <Form.Item name="union_id" label={t('reports.askedBy')} rules={[{ required: true, message: te('required', '') }]}>
          <UnionSelect initialOption={home ? { id: home.union_id, name: home.union_name } : null} onChange={() => form.setFieldValue('unit_ids', [])} />
        </Form.Item>
        <Form.Item name="template_id" label={t('reports.template')} rules={[{ required: true, message: te('required', '') }]}>
          <Select
            loading={templates.isPending}
            notFoundContent={<LoadNote fetching={templates.isPending} failed={templates.isError} />}
            showSearch={{ optionFilterProp: 'label' }}
            options={(templates.data ?? []).map((tp) => ({ value: tp.id, label: `${tp.name} (v${tp.version})` }))}
          />
        </Form.Item>
        <Form.Item name="title" label={t('reports.requestTitle')} extra={t('reports.requestTitleHint')}>
          <Input maxLength={500} />
        </Form.Item>
        <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
          <Form.Item name="period_from" label={t('reports.periodFrom')} rules={[{ required: true, message: te('required', '') }]}>
            <DatePicker format={DATE_FORMAT} />
          </Form.Item>
          <Form.Item name="period_to" label={t('reports.periodTo')} rules={[{ required: true, message: te('required', '') }]}>
            <DatePicker format={DATE_FORMAT} />
          </Form.Item>
          <Form.Item name="deadline" label={t('reports.deadline')} rules={[{ required: true, message: te('required', '') }]}>
            <DatePicker format={DATE_FORMAT} />
          </Form.Item>
        </div>
        <UnitsAndNote unionId={unionId} />
      </Form>
    </Modal>
  );
}
