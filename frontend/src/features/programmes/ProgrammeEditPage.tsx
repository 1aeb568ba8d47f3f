import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { LoadNote } from '../../components/SelectNote';
import { FormAlert } from '../../components/FormAlert';
import { ErrorState, ForbiddenState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { DATE_FORMAT, formatDate, toApiDate } from '../../lib/format';
import { useConfirm } from '../../lib/useConfirm';
import { useFormProblem } from '../../lib/useFormProblem';
import { useUnsavedChanges } from '../../lib/useUnsavedChanges';
import { useAuth } from '../auth/context';
import { useUnionList } from '../unions/api';
import { UnionSelect } from '../unions/UnionSelect';
import {
  useAddAllocation,
  useAllocateProportionally,
  useCatalogue,
  useCreateProgramme,
  useDeleteAllocation,
  useDeleteProgramme,
  useDeleteTarget,
  useProgramme,
  useSaveTarget,
  useUpdateAllocation,
  useUpdateProgramme,
  type AllocationRead,
  type IndicatorDefinition,
  type ProgrammeDetail,
  type TargetCreate,
  type TargetRead,
} from './api';
import { formatValue, fromApiAmount, toApiAmount } from './figures';
import { StrongLevelsCard } from './StrongLevelsCard';

const KINDS = ['cumulative', 'every_year', 'end_of_term'] as const;
type Kind = (typeof KINDS)[number];

interface ProgrammeValues {
  union_id: string;
  number: string;
  title: string;
  legal_basis?: string;
  term_start: Dayjs;
  planned_end: Dayjs;
  actual_end?: Dayjs | null;
  end_reason?: string;
}

const PROGRAMME_FIELDS = ['union_id', 'number', 'title', 'legal_basis', 'term_start', 'planned_end', 'actual_end', 'end_reason'] as const;

const day = (v: string | null | undefined) => (v ? dayjs(v) : null);

/** Create a programme (then add its targets), or edit one with its targets and allocations. */
export default function ProgrammeEditPage() {
  const { programmeId } = useParams();
  const { t } = useI18n();
  const { can } = useAuth();
  const detail = useProgramme(programmeId);
  if (!can('programmes:write')) return <ForbiddenState />;
  if (programmeId && detail.isError) return <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  if (programmeId && detail.isPending) return <LoadingState rows={8} />;
  const programme = detail.data;
  return (
    <section aria-labelledby="programme-edit-title">
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="programme-edit-title">
            {programme ? t('programmeEdit.editTitle', { number: programme.number }) : t('programmeEdit.createTitle')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('programmeEdit.intro')}</Typography.Text>
        </div>
        {programme ? (
          <Link to={`/programmes/${programme.id}`} data-testid="programme-dashboard-link">
            {t('programmeEdit.toDashboard')}
          </Link>
        ) : null}
      </div>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <ProgrammeForm key={programme ? `${programme.id}-${programme.version}` : 'new'} programme={programme} />
        {programme ? <TargetsCard programme={programme} /> : null}
        {programme ? <StrongLevelsCard key={`strong-${programme.id}-${programme.version}`} programme={programme} /> : null}
      </Space>
    </section>
  );
}

function ProgrammeForm({ programme }: { programme: ProgrammeDetail | undefined }) {
  const { t, te } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const confirm = useConfirm();
  const [form] = Form.useForm<ProgrammeValues>();
  const [dirty, setDirty] = useState(false);
  const release = useUnsavedChanges(dirty);
  const problem = useFormProblem(form, PROGRAMME_FIELDS);
  const create = useCreateProgramme();
  const update = useUpdateProgramme(programme);
  const remove = useDeleteProgramme(programme);
  const home = me?.roles[0];

  const submit = async (v: ProgrammeValues) => {
    problem.clear();
    const common = {
      number: v.number.trim(),
      title: v.title.trim(),
      legal_basis: v.legal_basis?.trim() || null,
      planned_end: toApiDate(v.planned_end)!,
      actual_end: toApiDate(v.actual_end) ?? null,
      end_reason: v.end_reason?.trim() || null,
    };
    try {
      if (programme) {
        await update.mutateAsync({ ...common, term_start: toApiDate(v.term_start)! });
        release();
        setDirty(false);
        message.success(t('programmeEdit.saved'));
      } else {
        const created = await create.mutateAsync({ ...common, union_id: v.union_id, term_start: toApiDate(v.term_start)! });
        release();
        message.success(t('programmeEdit.created', { number: created.number }));
        navigate(`/programmes/${created.id}/edit`);
      }
    } catch (e) {
      problem.show(e);
    }
  };

  const onDelete = async () => {
    if (!programme) return;
    const ok = await confirm({
      title: t('programmeEdit.deleteTitle', { number: programme.number }),
      content: t('programmeEdit.deleteText'),
      okText: t('programmeEdit.delete'),
      danger: true,
    });
    if (!ok) return;
    try {
      await remove.mutateAsync();
      release();
      message.success(t('programmeEdit.deleted'));
      navigate('/programmes');
    } catch (e) {
      problem.show(e);
    }
  };

  return (
    <Card title={t('programmeEdit.programme')} data-testid="programme-form">
      <FormAlert messages={problem.general} />
      <Form<ProgrammeValues>
        form={form}
        name="programme"
        layout="vertical"
        onFinish={(v) => void submit(v)}
        onValuesChange={() => setDirty(true)}
        initialValues={
          programme
            ? {
                union_id: programme.union_id,
                number: programme.number,
                title: programme.title,
                legal_basis: programme.legal_basis ?? undefined,
                term_start: day(programme.term_start)!,
                planned_end: day(programme.planned_end)!,
                actual_end: day(programme.actual_end),
                end_reason: programme.end_reason ?? undefined,
              }
            : { union_id: home?.union_id }
        }
        scrollToFirstError
      >
        {programme ? (
          <Form.Item label={t('programmes.owner')}>
            <Input disabled value={programme.union_name} aria-label={t('programmes.owner')} />
          </Form.Item>
        ) : (
          <Form.Item name="union_id" label={t('programmes.owner')} rules={[{ required: true, message: te('required', '') }]}>
            <UnionSelect initialOption={home ? { id: home.union_id, name: home.union_name } : null} />
          </Form.Item>
        )}
        <Space wrap align="start" size="large">
          <Form.Item
            name="number"
            label={t('programmes.number')}
            rules={[{ required: true, whitespace: true, message: te('required', '') }]}
          >
            <Input maxLength={50} style={{ width: 220 }} placeholder="05/Ctr-LĐLĐ" />
          </Form.Item>
        </Space>
        <Form.Item
          name="title"
          label={t('programmeEdit.title')}
          rules={[{ required: true, whitespace: true, message: te('required', '') }]}
        >
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="legal_basis" label={t('programmes.legalBasis')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        <Space wrap align="start" size="large">
          <Form.Item name="term_start" label={t('programmeEdit.termStart')} rules={[{ required: true, message: te('required', '') }]}>
            <DatePicker format={DATE_FORMAT} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="planned_end" label={t('programmeEdit.plannedEnd')} rules={[{ required: true, message: te('required', '') }]}>
            <DatePicker format={DATE_FORMAT} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="actual_end" label={t('programmeEdit.actualEnd')} extra={t('programmeEdit.actualEndHint')}>
            <DatePicker format={DATE_FORMAT} style={{ width: 180 }} />
          </Form.Item>
        </Space>
        <Form.Item name="end_reason" label={t('programmeEdit.endReason')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 1, maxRows: 3 }} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={create.isPending || update.isPending}>
            {programme ? t('common.save') : t('programmeEdit.create')}
          </Button>
          {programme ? (
            <Button danger icon={<DeleteOutlined />} onClick={() => void onDelete()} loading={remove.isPending}>
              {t('programmeEdit.delete')}
            </Button>
          ) : (
            <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
          )}
        </Space>
      </Form>
    </Card>
  );
}

function TargetsCard({ programme }: { programme: ProgrammeDetail }) {
  const { t, lang } = useI18n();
  const locale = lang === 'vi' ? 'vi-VN' : 'en-US';
  const { message } = App.useApp();
  const confirm = useConfirm();
  const catalogue = useCatalogue();
  const remove = useDeleteTarget(programme.id);
  const [editing, setEditing] = useState<TargetRead | 'new' | null>(null);
  const byKey = new Map((catalogue.data ?? []).map((i) => [i.key, i]));
  const nameOf = (key: string) => {
    const i = byKey.get(key);
    return i ? (lang === 'vi' ? i.name_vi : i.name_en) : key;
  };
  const unitOf = (key: string) => byKey.get(key)?.unit ?? 'count';

  const onDelete = async (target: TargetRead) => {
    const ok = await confirm({
      title: t('programmeEdit.deleteTarget', { title: target.title }),
      content: t('programmeEdit.deleteTargetText'),
      okText: t('programmeEdit.delete'),
      danger: true,
    });
    if (!ok) return;
    try {
      await remove.mutateAsync(target);
      message.success(t('programmeEdit.targetDeleted'));
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <Card
      title={t('programmeEdit.targets')}
      data-testid="targets-card"
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('programmeEdit.addTarget')}
        </Button>
      }
    >
      <Table<TargetRead>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={programme.targets}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('programmeEdit.noTargets') }}
        expandable={{
          rowExpandable: (r) => r.kind === 'cumulative',
          expandedRowRender: (r) => <AllocationsPanel programme={programme} target={r} unit={unitOf(r.indicator_key)} />,
          expandRowByClick: false,
        }}
        columns={[
          { title: t('programmeEdit.targetTitle'), dataIndex: 'title', render: (v: string) => <span data-testid="target-title">{v}</span> },
          { title: t('programmeEdit.indicator'), dataIndex: 'indicator_key', width: 240, render: (k: string) => nameOf(k) },
          { title: t('programmeEdit.kind'), dataIndex: 'kind', width: 170, render: (k: Kind) => t(`targetKind.${k}`) },
          {
            title: t('programmes.target'),
            dataIndex: 'target_value',
            align: 'right',
            width: 120,
            render: (v: string, r) => formatValue(v, unitOf(r.indicator_key), locale),
          },
          {
            title: t('programmes.baseline'),
            dataIndex: 'baseline',
            align: 'right',
            width: 110,
            render: (v: string | null, r) => (v === null ? '' : formatValue(v, unitOf(r.indicator_key), locale)),
          },
          {
            title: '',
            key: 'actions',
            width: 110,
            render: (_, r) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} aria-label={t('programmeEdit.editTarget', { title: r.title })} onClick={() => setEditing(r)} />
                <Button
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('programmeEdit.deleteTarget', { title: r.title })}
                  onClick={() => void onDelete(r)}
                />
              </Space>
            ),
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t('programmeEdit.allocateHint')}
      </Typography.Paragraph>
      {editing ? (
        <TargetModal
          programme={programme}
          target={editing === 'new' ? null : editing}
          catalogue={catalogue.data ?? []}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </Card>
  );
}

interface TargetValues {
  title: string;
  indicator_key: string;
  kind: Kind;
  target_value: number;
  baseline?: number | null;
  min_workers?: number | null;
  position?: number;
}

const TARGET_FIELDS = ['title', 'indicator_key', 'kind', 'target_value', 'baseline', 'parameters', 'position'] as const;

function TargetModal({
  programme,
  target,
  catalogue,
  onClose,
}: {
  programme: ProgrammeDetail;
  target: TargetRead | null;
  catalogue: IndicatorDefinition[];
  onClose: () => void;
}) {
  const { t, te, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<TargetValues>();
  const problem = useFormProblem(form, TARGET_FIELDS, { 'parameters.min_workers': 'min_workers' });
  const save = useSaveTarget(programme.id);
  const key = Form.useWatch('indicator_key', form) ?? target?.indicator_key;
  const indicator = catalogue.find((i) => i.key === key);
  const unit = indicator?.unit ?? 'count';
  const share = unit === 'share';

  const submit = async (v: TargetValues) => {
    problem.clear();
    try {
      await save.mutateAsync({
        target,
        body: {
          title: v.title.trim(),
          indicator_key: v.indicator_key as TargetCreate['indicator_key'],
          kind: v.kind,
          target_value: toApiAmount(v.target_value, unit),
          baseline: v.baseline === null || v.baseline === undefined ? null : toApiAmount(v.baseline, unit),
          parameters: v.min_workers ? { min_workers: v.min_workers } : {},
          position: v.position ?? programme.targets.length,
        },
      });
      message.success(target ? t('programmeEdit.targetSaved') : t('programmeEdit.targetAdded'));
      onClose();
    } catch (e) {
      problem.show(e);
    }
  };

  return (
    <Modal
      open
      width={640}
      title={target ? t('programmeEdit.editTarget', { title: target.title }) : t('programmeEdit.addTarget')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <FormAlert messages={problem.general} />
      <Form<TargetValues>
        form={form}
        name="target"
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={
          target
            ? {
                title: target.title,
                indicator_key: target.indicator_key,
                kind: target.kind as Kind,
                target_value: fromApiAmount(target.target_value, unit),
                baseline: target.baseline === null ? null : fromApiAmount(target.baseline, unit),
                min_workers: target.parameters.min_workers ?? null,
                position: target.position,
              }
            : { kind: 'cumulative' }
        }
      >
        <Form.Item name="indicator_key" label={t('programmeEdit.indicator')} rules={[{ required: true, message: te('required', '') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            disabled={Boolean(target)}
            options={catalogue.map((i) => ({ value: i.key, label: lang === 'vi' ? i.name_vi : i.name_en }))}
          />
        </Form.Item>
        {indicator ? (
          <Typography.Paragraph type="secondary" style={{ marginTop: -12 }}>
            {lang === 'vi' ? indicator.definition_vi : indicator.definition_en}
          </Typography.Paragraph>
        ) : null}
        <Form.Item name="title" label={t('programmeEdit.targetTitle')} rules={[{ required: true, whitespace: true, message: te('required', '') }]}>
          <Input maxLength={500} placeholder={t('programmeEdit.targetTitleHint')} />
        </Form.Item>
        <Space wrap align="start" size="large">
          <Form.Item name="kind" label={t('programmeEdit.kind')} rules={[{ required: true, message: te('required', '') }]}>
            <Select style={{ width: 220 }} options={KINDS.map((k) => ({ value: k, label: t(`targetKind.${k}`) }))} />
          </Form.Item>
          <Form.Item
            name="target_value"
            label={share ? t('programmeEdit.targetPercent') : t('programmes.target')}
            rules={[{ required: true, message: te('required', '') }]}
          >
            <InputNumber min={0} max={share ? 100 : 9999999999} decimalSeparator="," style={{ width: 180 }} suffix={share ? '%' : undefined} />
          </Form.Item>
          <Form.Item name="baseline" label={share ? t('programmeEdit.baselinePercent') : t('programmes.baseline')}>
            <InputNumber min={0} max={share ? 100 : 9999999999} decimalSeparator="," style={{ width: 160 }} suffix={share ? '%' : undefined} />
          </Form.Item>
        </Space>
        {indicator && 'min_workers' in indicator.parameters ? (
          <Form.Item name="min_workers" label={t('programmeEdit.minWorkers')} extra={t('programmeEdit.minWorkersHint')}>
            <InputNumber min={1} max={10000} style={{ width: 160 }} placeholder={String(indicator.parameters.min_workers)} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

interface AllocationValues {
  union_id: string;
  value: number;
  valid_from?: Dayjs | null;
}

const ALLOCATION_FIELDS = ['union_id', 'value', 'valid_from'] as const;

function AllocationsPanel({ programme, target, unit }: { programme: ProgrammeDetail; target: TargetRead; unit: string }) {
  const { t, te, lang } = useI18n();
  const locale = lang === 'vi' ? 'vi-VN' : 'en-US';
  const { message } = App.useApp();
  const confirm = useConfirm();
  const [form] = Form.useForm<AllocationValues>();
  const problem = useFormProblem(form, ALLOCATION_FIELDS);
  const add = useAddAllocation(programme.id);
  const proportional = useAllocateProportionally(programme.id);
  const update = useUpdateAllocation(programme.id);
  const remove = useDeleteAllocation(programme.id);
  const [base, setBase] = useState<'members' | 'enterprises'>('members');
  const [edits, setEdits] = useState<Record<string, number | null>>({});
  const children = useUnionList({ parent_id: programme.union_id, status: ['active'], size: 100, sort: 'name' });
  const open = programme.allocations.filter((a) => a.target_id === target.id && a.valid_to === null);
  const allocated = open.reduce((sum, a) => sum + Number(a.value), 0);

  const fail = (e: unknown) => {
    const mapped = problem.show(e);
    if (mapped.general.length) message.error(mapped.general.join(' '));
  };

  const submit = async (v: AllocationValues) => {
    problem.clear();
    try {
      await add.mutateAsync({
        targetId: target.id,
        body: { union_id: v.union_id, value: toApiAmount(v.value, unit), valid_from: toApiDate(v.valid_from) ?? null },
      });
      form.resetFields();
      message.success(t('programmeEdit.allocated'));
    } catch (e) {
      fail(e);
    }
  };

  const split = async () => {
    problem.clear();
    try {
      await proportional.mutateAsync({ targetId: target.id, body: { base } });
      message.success(t('programmeEdit.splitDone'));
    } catch (e) {
      fail(e);
    }
  };

  const saveValue = async (a: AllocationRead) => {
    const value = edits[a.id];
    if (value === null || value === undefined) return;
    try {
      await update.mutateAsync({ allocation: a, value: toApiAmount(value, unit) });
      setEdits(({ [a.id]: _, ...rest }) => rest);
      message.success(t('programmeEdit.allocationSaved', { name: a.union_name }));
    } catch (e) {
      fail(e);
    }
  };

  const onRemove = async (a: AllocationRead) => {
    const ok = await confirm({
      title: t('programmeEdit.removeAllocation', { name: a.union_name }),
      content: t('programmeEdit.removeAllocationText'),
      okText: t('programmeEdit.remove'),
      danger: true,
    });
    if (!ok) return;
    try {
      await remove.mutateAsync(a);
      message.success(t('programmeEdit.allocationRemoved'));
    } catch (e) {
      fail(e);
    }
  };

  return (
    <div data-testid={`allocations-${target.id}`} className="allocations-panel">
      <Typography.Text strong data-testid="allocated-sum">
        {t('programmeEdit.allocatedOf', {
          sum: formatValue(String(allocated), unit, locale),
          total: formatValue(target.target_value, unit, locale),
        })}
      </Typography.Text>
      <Table<AllocationRead>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={open}
        scroll={{ y: 420 }}
        style={{ margin: '8px 0 16px' }}
        locale={{ emptyText: t('programmeEdit.noAllocations') }}
        columns={[
          { title: t('programmes.unit'), dataIndex: 'union_name' },
          {
            title: t('programmes.allocation'),
            dataIndex: 'value',
            width: 260,
            render: (v: string, a) => (
              <Space>
                <InputNumber
                  aria-label={t('programmeEdit.allocationOf', { name: a.union_name })}
                  min={0}
                  decimalSeparator=","
                  value={edits[a.id] ?? fromApiAmount(v, unit)}
                  onChange={(n) => setEdits((e) => ({ ...e, [a.id]: n }))}
                  style={{ width: 140 }}
                />
                {a.id in edits ? (
                  <Button size="small" type="primary" onClick={() => void saveValue(a)} loading={update.isPending}>
                    {t('common.save')}
                  </Button>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('programmeEdit.method'),
            dataIndex: 'method',
            width: 200,
            render: (m: AllocationRead['method'], a) => (
              <span>
                <Tag>{t(`allocationMethod.${m}`)}</Tag>
                {a.base_value !== null ? formatValue(a.base_value, 'count', locale) : ''}
              </span>
            ),
          },
          { title: t('programmeEdit.from'), dataIndex: 'valid_from', width: 120, render: (d: string) => formatDate(d) },
          {
            title: '',
            key: 'remove',
            width: 60,
            render: (_, a) => (
              <Button
                size="small"
                danger
                icon={<DeleteOutlined />}
                aria-label={t('programmeEdit.removeAllocation', { name: a.union_name })}
                onClick={() => void onRemove(a)}
              />
            ),
          },
        ]}
      />
      <FormAlert messages={problem.general} />
      <Form<AllocationValues> form={form} name={`allocation-${target.id}`} layout="inline" onFinish={(v) => void submit(v)} style={{ rowGap: 8 }}>
        <Form.Item name="union_id" rules={[{ required: true, message: te('required', '') }]}>
          <Select
            style={{ width: 280 }}
            placeholder={t('programmeEdit.child')}
            aria-label={t('programmeEdit.child')}
            loading={children.isPending}
            notFoundContent={<LoadNote fetching={children.isPending} failed={children.isError} />}
            showSearch={{ optionFilterProp: 'label' }}
            options={(children.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
        <Form.Item name="value" rules={[{ required: true, message: te('required', '') }]}>
          <InputNumber min={0} decimalSeparator="," placeholder={t('programmes.allocation')} aria-label={t('programmes.allocation')} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="valid_from">
          <DatePicker format={DATE_FORMAT} placeholder={t('programmeEdit.from')} aria-label={t('programmeEdit.from')} />
        </Form.Item>
        <Button htmlType="submit" icon={<PlusOutlined />} loading={add.isPending}>
          {t('programmeEdit.allocate')}
        </Button>
      </Form>
      <Space wrap style={{ marginTop: 12 }}>
        <Typography.Text>{t('programmeEdit.splitBy')}</Typography.Text>
        <Select
          value={base}
          onChange={setBase}
          style={{ width: 260 }}
          aria-label={t('programmeEdit.splitBy')}
          options={[
            { value: 'members', label: t('programmeEdit.baseMembers') },
            { value: 'enterprises', label: t('programmeEdit.baseEnterprises') },
          ]}
        />
        <Button onClick={() => void split()} loading={proportional.isPending}>
          {t('programmeEdit.split')}
        </Button>
      </Space>
    </div>
  );
}
