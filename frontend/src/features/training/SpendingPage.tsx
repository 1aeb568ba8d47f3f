import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import { useState } from 'react';
import { FilterField } from '../../components/FilterField';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n/messages';
import { formatDateTime, formatNumber } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import { useUrlFilters } from '../../lib/urlState';
import { useAuth } from '../auth/context';
import { useUnion } from '../unions/api';
import { UnionSelect } from '../unions/UnionSelect';
import { useCreateSpending, useSpendingList, useSpendingSuggestion, useSpendingTransition, useUpdateSpending, type SpendingAction } from './api';
import {
  SPENDING_STATUSES,
  SPENDING_STATUS_COLOR,
  formatMoney,
  moneyFormatter,
  moneyParser,
  offerSuggestion,
  sharePercent,
  spendingActions,
  type SpendingRead,
  type SpendingStatus,
} from './spending';

const THIS_YEAR = new Date().getFullYear();
const YEARS = Array.from({ length: THIS_YEAR - 2017 }, (_, i) => THIS_YEAR - i);
const FILTERS = { union_id: 'string', year: 'int', status: 'list', page: 'int' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE_SIZE = 20;

export default function SpendingPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { values, update } = useUrlFilters(FILTERS);
  const unionId = values.union_id && UUID.test(values.union_id) ? values.union_id : undefined;
  const union = useUnion(unionId);
  const status = (values.status ?? []).filter((s): s is SpendingStatus => (SPENDING_STATUSES as readonly string[]).includes(s));
  const page = values.page ?? 1;
  const [open, setOpen] = useState<SpendingRead | 'new' | null>(null);
  const { data, isPending, isError, error, refetch } = useSpendingList({
    union_id: unionId,
    year: values.year,
    status: status.length ? status : undefined,
    page,
    size: PAGE_SIZE,
  });
  const statusLabel = (s: SpendingStatus) => t(`spending.status.${s}` as MessageKey);

  const columns: ColumnsType<SpendingRead> = [
    { key: 'union', title: t('spending.union'), width: 280, render: (_, r) => r.union_name },
    { key: 'year', title: t('spending.year'), width: 80, render: (_, r) => r.year },
    { key: 'total', title: t('spending.totalShort'), width: 170, align: 'right', render: (_, r) => formatMoney(r.total_spend) },
    { key: 'training', title: t('spending.trainingShort'), width: 170, align: 'right', render: (_, r) => formatMoney(r.training_spend) },
    { key: 'share', title: t('spending.share'), width: 90, align: 'right', render: (_, r) => sharePercent(r.training_spend, r.total_spend) },
    {
      key: 'status',
      title: t('spending.status'),
      width: 130,
      render: (_, r) => <Tag color={SPENDING_STATUS_COLOR[r.status]}>{statusLabel(r.status)}</Tag>,
    },
    { key: 'source', title: t('spending.source'), render: (_, r) => r.source },
    {
      key: 'open',
      title: '',
      width: 90,
      render: (_, r) => (
        <Button size="small" onClick={() => setOpen(r)} aria-label={`${t('spending.open')} ${r.union_name} ${r.year}`}>
          {t('spending.open')}
        </Button>
      ),
    },
  ];

  return (
    <section aria-labelledby="spending-title">
      <div className="page-header">
        <Typography.Title level={2} id="spending-title">
          {t('spending.title')}
        </Typography.Title>
        {can('spending:write') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen('new')}>
            {t('spending.create')}
          </Button>
        ) : null}
      </div>
      <Typography.Paragraph type="secondary">{t('spending.intro')}</Typography.Paragraph>
      <Card>
        <Space wrap align="end" style={{ marginBottom: 16 }}>
          <FilterField label={t('spending.union')}>
            <UnionSelect
              allowClear
              aria-label={t('spending.union')}
              style={{ width: 300 }}
              value={unionId}
              initialOption={union.data ? { id: union.data.id, name: union.data.name, code: union.data.code } : null}
              onChange={(v) => update({ union_id: v || undefined })}
            />
          </FilterField>
          <FilterField label={t('spending.year')}>
            <Select
              allowClear
              aria-label={t('spending.year')}
              style={{ width: 120 }}
              value={values.year}
              onChange={(v) => update({ year: v })}
              options={YEARS.map((y) => ({ value: y, label: String(y) }))}
            />
          </FilterField>
          <FilterField label={t('spending.status')}>
            <Select
              mode="multiple"
              allowClear
              aria-label={t('spending.status')}
              style={{ minWidth: 220 }}
              value={status}
              onChange={(v) => update({ status: v })}
              options={SPENDING_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
            />
          </FilterField>
        </Space>
        {isError ? (
          <ErrorState error={error} onRetry={() => void refetch()} />
        ) : (
          <Table<SpendingRead>
            rowKey="id"
            loading={isPending}
            columns={columns}
            dataSource={data?.items ?? []}
            locale={{ emptyText: <EmptyState description={t('spending.none')} /> }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: data?.total ?? 0,
              showSizeChanger: false,
              onChange: (p) => update({ page: p }),
              showTotal: (n) => <span data-testid="spending-total">{t('spending.count', { n: formatNumber(n) })}</span>,
            }}
            scroll={{ x: 1200 }}
          />
        )}
      </Card>
      {open ? <SpendingModal key={open === 'new' ? 'new' : open.id} initial={open === 'new' ? null : open} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}

interface SpendingForm {
  union_id: string;
  year: number;
  total_spend: number;
  training_spend: number;
  source: string;
  note?: string;
}

const FORM_FIELDS = ['union_id', 'year', 'total_spend', 'training_spend', 'source', 'note'];

/** One union's figures of one year: entered (new), changed and submitted while draft or
 * returned, approved or returned by the superior, read-only otherwise. */
function SpendingModal({ initial, onClose }: { initial: SpendingRead | null; onClose: () => void }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<SpendingForm>();
  const problem = useFormProblem(form, FORM_FIELDS);
  const [row, setRow] = useState<SpendingRead | null>(initial);
  const [returning, setReturning] = useState(false);
  const [comment, setComment] = useState('');
  const create = useCreateSpending();
  const change = useUpdateSpending();
  const transition = useSpendingTransition();
  const home = me?.roles[0];
  const acts = row ? spendingActions(row) : null;
  const readOnly = acts?.readOnly ?? false;
  const training = Form.useWatch('training_spend', form);
  const pickedUnion = Form.useWatch('union_id', form);
  const pickedYear = Form.useWatch('year', form);
  // A new row's suggestion comes from its own query; a stored row carries it.
  const hint = useSpendingSuggestion(row ? undefined : pickedUnion, row ? undefined : pickedYear);
  const suggested = row ? row.suggested_training_spend : hint.data?.suggested_training_spend;
  const busy = create.isPending || change.isPending || transition.isPending;

  const fail = (e: unknown) => {
    const mapped = problem.show(e);
    if (mapped.general.length) message.error(mapped.general.join(' '));
  };

  /** Saves what is on the form; the row as stored (a new one, or the changed one). */
  const save = async (v: SpendingForm): Promise<SpendingRead> => {
    const figures = { total_spend: v.total_spend, training_spend: v.training_spend, source: v.source.trim(), note: v.note?.trim() || null };
    if (!row) {
      const created = await create.mutateAsync({ union_id: v.union_id, year: v.year, ...figures });
      message.success(t('spending.created', { year: created.year }));
      return created;
    }
    return change.mutateAsync({ id: row.id, version: row.version, body: figures });
  };

  const onSave = async () => {
    let v: SpendingForm;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      const saved = await save(v);
      if (row) message.success(t('spending.saved'));
      setRow(saved);
    } catch (e) {
      fail(e);
    }
  };

  const run = async (action: SpendingAction, note?: string) => {
    if (!row) return;
    try {
      let current = row;
      if (action === 'submit') {
        // What is on the form is what goes up: save it first (a new version), then submit.
        let v: SpendingForm;
        try {
          v = await form.validateFields();
        } catch {
          return;
        }
        current = await save(v);
      }
      const done = await transition.mutateAsync({ id: current.id, version: current.version, action, comment: note });
      message.success(t(action === 'submit' ? 'spending.submitted' : action === 'approve' ? 'spending.approved' : 'spending.returned'));
      setRow(done);
      setReturning(false);
      if (action !== 'return') onClose();
    } catch (e) {
      // A field problem outside the form (the return's comment) shows as a message too.
      fail(e);
    }
  };

  const footer = (
    <Space wrap>
      <Button onClick={onClose}>{t('common.close')}</Button>
      {acts?.giveBack ? (
        <Button danger onClick={() => setReturning(true)} disabled={busy}>
          {t('spending.return')}
        </Button>
      ) : null}
      {acts?.approve ? (
        <Button type="primary" onClick={() => void run('approve')} loading={transition.isPending}>
          {t('spending.approve')}
        </Button>
      ) : null}
      {!row || acts?.edit ? (
        <Button onClick={() => void onSave()} loading={create.isPending || change.isPending}>
          {t('spending.save')}
        </Button>
      ) : null}
      {acts?.submit ? (
        <Button type="primary" onClick={() => void run('submit')} loading={transition.isPending}>
          {t('spending.submit')}
        </Button>
      ) : null}
    </Space>
  );

  const required = (key: MessageKey) => ({ required: true, message: t('spending.required', { field: t(key).toLowerCase() }) });

  return (
    <Modal
      open
      title={row ? t('spending.editTitle', { year: row.year, union: row.union_name }) : t('spending.createTitle')}
      onCancel={onClose}
      footer={footer}
      destroyOnHidden
      width={640}
    >
      {row?.status === 'approved' ? (
        <Alert type="success" showIcon style={{ marginBottom: 16 }} message={t('spending.readOnly')} description={row.approved_at ? t('spending.approvedOn', { date: formatDateTime(row.approved_at) }) : undefined} />
      ) : row?.status === 'submitted' ? (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('spending.waiting')} />
      ) : row?.status === 'returned' && row.review_comment ? (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('spending.status.returned')} description={row.review_comment} />
      ) : null}
      <Form<SpendingForm>
        form={form}
        layout="vertical"
        disabled={readOnly}
        onValuesChange={() => problem.clear()}
        initialValues={
          row
            ? { union_id: row.union_id, year: row.year, total_spend: row.total_spend, training_spend: row.training_spend, source: row.source, note: row.note ?? undefined }
            : { union_id: home?.union_id, year: THIS_YEAR - 1 }
        }
      >
        {problem.general.length ? <Alert type="error" showIcon style={{ marginBottom: 16 }} message={problem.general.join(' ')} /> : null}
        <Space wrap align="start">
          <Form.Item name="union_id" label={t('spending.unionOfFigures')} rules={[required('spending.union')]}>
            <UnionSelect
              style={{ width: 360 }}
              disabled={!!row || readOnly}
              initialOption={row ? { id: row.union_id, name: row.union_name } : home ? { id: home.union_id, name: home.union_name } : null}
            />
          </Form.Item>
          <Form.Item name="year" label={t('spending.yearOfFigures')} rules={[required('spending.year')]}>
            <Select style={{ width: 120 }} disabled={!!row || readOnly} options={YEARS.map((y) => ({ value: y, label: String(y) }))} />
          </Form.Item>
        </Space>
        <Form.Item name="total_spend" label={t('spending.total')} rules={[required('spending.totalShort')]}>
          <InputNumber<number> min={0} style={{ width: 260 }} formatter={moneyFormatter} parser={(s) => Number(moneyParser(s))} addonAfter="đ" />
        </Form.Item>
        <Form.Item
          name="training_spend"
          label={t('spending.training')}
          dependencies={['total_spend']}
          rules={[
            required('spending.trainingShort'),
            ({ getFieldValue }) => ({
              validator: (_, value: number | undefined) =>
                value != null && getFieldValue('total_spend') != null && value > getFieldValue('total_spend')
                  ? Promise.reject(new Error(t('spending.trainingAboveTotal')))
                  : Promise.resolve(),
            }),
          ]}
          extra={
            offerSuggestion(suggested, training) ? (
              <Space wrap size={4}>
                <span data-testid="spending-suggested">{t('spending.suggested', { amount: formatMoney(suggested) })}</span>
                {!readOnly ? (
                  <Button size="small" type="link" onClick={() => form.setFieldValue('training_spend', suggested)}>
                    {t('spending.useSuggested')}
                  </Button>
                ) : null}
              </Space>
            ) : null
          }
        >
          <InputNumber<number> min={0} style={{ width: 260 }} formatter={moneyFormatter} parser={(s) => Number(moneyParser(s))} addonAfter="đ" />
        </Form.Item>
        <Form.Item name="source" label={t('spending.source')} rules={[{ ...required('spending.source'), whitespace: true }]} extra={t('spending.sourceHint')}>
          <Input maxLength={255} />
        </Form.Item>
        <Form.Item name="note" label={t('spending.note')}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      </Form>
      {returning && row ? (
        <Modal
          open
          title={t('spending.returnTitle', { union: row.union_name })}
          onCancel={() => setReturning(false)}
          onOk={() => void run('return', comment.trim())}
          okText={t('spending.return')}
          okButtonProps={{ danger: true, disabled: !comment.trim() }}
          confirmLoading={transition.isPending}
        >
          <Typography.Paragraph>{t('spending.returnHint')}</Typography.Paragraph>
          <Input.TextArea
            aria-label={t('spending.comment')}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            maxLength={1000}
            autoSize={{ minRows: 3, maxRows: 8 }}
          />
        </Modal>
      ) : null}
    </Modal>
  );
}
