import { Alert, App, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { FormAlert } from '../../components/FormAlert';
import { ErrorState, ForbiddenState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate, formatNumber, toApiDate } from '../../lib/format';
import { useConfirm } from '../../lib/useConfirm';
import { useFormProblem } from '../../lib/useFormProblem';
import { useUnsavedChanges } from '../../lib/useUnsavedChanges';
import NotFoundPage from '../../routes/NotFoundPage';
import { useAuth } from '../auth/context';
import {
  useDissolveUnion,
  useMergeUnion,
  useMoveUnion,
  useUnion,
  useUpdateUnion,
  type UnionRead,
} from './api';
import { ContactFields } from './ContactFields';
import { blankToNull, CONTACT_FIELDS } from './formValues';
import { DecisionFields } from './DecisionFields';
import { ALLOWED_PARENTS, KINDS, SECTORS, kindLabel, sectorLabel, type UnionLevel } from './labels';
import { UnionSelect, type UnionOption } from './UnionSelect';

const ACTIONS = ['edit', 'move', 'merge', 'dissolve'] as const;
type Action = (typeof ACTIONS)[number];

interface DecisionValues {
  effective_date: Dayjs;
  decision_no: string;
  decision_date?: Dayjs;
  note?: string;
}

function decision(v: DecisionValues) {
  return {
    effective_date: toApiDate(v.effective_date)!,
    decision_no: v.decision_no.trim(),
    decision_date: toApiDate(v.decision_date) ?? null,
    note: v.note?.trim() || null,
  };
}

const DECISION_FIELDS = ['effective_date', 'decision_no', 'decision_date', 'note'] as const;

/** Shared frame of the four forms: dirty tracking, errors beside fields, leave-warning. */
function useActionForm<V extends object>(fields: readonly string[]) {
  const [form] = Form.useForm<V>();
  const [dirty, setDirty] = useState(false);
  const release = useUnsavedChanges(dirty);
  const problem = useFormProblem(form, fields);
  return { form, dirty, setDirty, release, problem };
}

function useDone(union: UnionRead) {
  const navigate = useNavigate();
  const { message } = App.useApp();
  return (text: string, to = `/unions/${union.id}`) => {
    message.success(text);
    navigate(to);
  };
}

interface EditValues extends Partial<DecisionValues> {
  name: string;
  short_name?: string;
  kind: UnionRead['kind'];
  sector: UnionRead['sector'];
  address?: string;
  commune_code?: string;
  phone?: string;
  email?: string;
}

function EditForm({ union }: { union: UnionRead }) {
  const { t, te } = useI18n();
  const fields = ['name', 'short_name', 'kind', 'sector', ...CONTACT_FIELDS, ...DECISION_FIELDS];
  const { form, setDirty, release, problem } = useActionForm<EditValues>(fields);
  const update = useUpdateUnion(union);
  const done = useDone(union);
  const name = Form.useWatch('name', form);
  const shortName = Form.useWatch('short_name', form);
  const renaming = (name ?? union.name) !== union.name || (shortName || null) !== (union.short_name || null);

  const submit = async (v: EditValues) => {
    problem.clear();
    const values = blankToNull({ ...v });
    // PATCH semantics: send only what changed, so a rename is recorded only when it is one.
    const changed: Record<string, unknown> = {};
    for (const key of ['name', 'short_name', 'kind', 'sector', ...CONTACT_FIELDS] as const) {
      const before = (union as Record<string, unknown>)[key] ?? null;
      const after = (values as Record<string, unknown>)[key] ?? null;
      if (before !== after) changed[key] = after;
    }
    if (renaming) {
      changed.decision_no = v.decision_no?.trim();
      changed.effective_date = toApiDate(v.effective_date);
      changed.decision_date = toApiDate(v.decision_date) ?? null;
    }
    if (!Object.keys(changed).length) {
      release();
      done(t('unions.nothingChanged'));
      return;
    }
    try {
      await update.mutateAsync(changed);
      release();
      done(t('unions.saved'));
    } catch (e) {
      problem.show(e);
    }
  };

  return (
    <>
      <FormAlert messages={problem.general} />
      <Form<EditValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={() => setDirty(true)}
        initialValues={{
          name: union.name,
          short_name: union.short_name ?? undefined,
          kind: union.kind,
          sector: union.sector,
          address: union.address ?? undefined,
          commune_code: union.commune_code ?? undefined,
          phone: union.phone ?? undefined,
          email: union.email ?? undefined,
        }}
        scrollToFirstError
      >
        <Form.Item
          name="name"
          label={t('union.name')}
          rules={[{ required: true, whitespace: true, message: te('required', '') }, { max: 255, message: te('too_long', '') }]}
        >
          <Input maxLength={255} />
        </Form.Item>
        <Form.Item name="short_name" label={t('union.shortName')} rules={[{ max: 100, message: te('too_long', '') }]}>
          <Input maxLength={100} />
        </Form.Item>
        {renaming ? (
          <>
            <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('unions.renameNotice')} />
            <DecisionFields withNote={false} />
          </>
        ) : null}
        <Space wrap align="start" size="large">
          <Form.Item name="kind" label={t('union.kind')}>
            <Select style={{ width: 300 }} options={KINDS.map((k) => ({ value: k, label: kindLabel(t, k) }))} />
          </Form.Item>
          <Form.Item name="sector" label={t('union.sector')}>
            <Select style={{ width: 220 }} options={SECTORS.map((s) => ({ value: s, label: sectorLabel(t, s) }))} />
          </Form.Item>
        </Space>
        <ContactFields />
        <FormButtons submitText={t('common.save')} loading={update.isPending} />
      </Form>
    </>
  );
}

function FormButtons({ submitText, loading, danger }: { submitText: string; loading: boolean; danger?: boolean }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Space>
      <Button type="primary" danger={danger} htmlType="submit" loading={loading}>
        {submitText}
      </Button>
      <Button onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
    </Space>
  );
}

interface MoveValues extends DecisionValues {
  new_parent_id: string;
}

function MoveForm({ union }: { union: UnionRead }) {
  const { t, te } = useI18n();
  const { form, setDirty, release, problem } = useActionForm<MoveValues>(['new_parent_id', ...DECISION_FIELDS]);
  const move = useMoveUnion(union);
  const done = useDone(union);
  const confirm = useConfirm();
  const [target, setTarget] = useState<UnionOption | null>(null);
  const parentLevels = ALLOWED_PARENTS[union.level].filter((l): l is UnionLevel => l !== null);

  const submit = async (v: MoveValues) => {
    problem.clear();
    const ok = await confirm({
      title: t('unions.moveConfirmTitle'),
      content: t('unions.moveConfirm', {
        name: union.name,
        target: target?.name ?? '',
        n: formatNumber(union.child_count ?? 0),
        date: formatDate(v.effective_date),
      }),
      okText: t('unions.move'),
    });
    if (!ok) return;
    try {
      await move.mutateAsync({ new_parent_id: v.new_parent_id, ...decision(v) });
      release();
      done(t('unions.moved'));
    } catch (e) {
      problem.show(e);
    }
  };

  return (
    <>
      <Typography.Paragraph>
        {t('unions.moveIntro', { parent: union.parent_name ?? '—', n: formatNumber(union.child_count ?? 0) })}
      </Typography.Paragraph>
      <FormAlert messages={problem.general} />
      <Form<MoveValues> form={form} layout="vertical" onFinish={submit} onValuesChange={() => setDirty(true)} scrollToFirstError>
        <Form.Item name="new_parent_id" label={t('unions.newParent')} rules={[{ required: true, message: te('required', '') }]}>
          <UnionSelect
            levels={parentLevels}
            excludeIds={[union.id, union.parent_id ?? '']}
            onPick={setTarget}
          />
        </Form.Item>
        <DecisionFields />
        <FormButtons submitText={t('unions.move')} loading={move.isPending} />
      </Form>
    </>
  );
}

interface MergeValues extends DecisionValues {
  target_id: string;
}

function MergeForm({ union }: { union: UnionRead }) {
  const { t, te } = useI18n();
  const { form, setDirty, release, problem } = useActionForm<MergeValues>(['target_id', ...DECISION_FIELDS]);
  const merge = useMergeUnion(union);
  const done = useDone(union);
  const confirm = useConfirm();
  const [target, setTarget] = useState<UnionOption | null>(null);

  const submit = async (v: MergeValues) => {
    problem.clear();
    const ok = await confirm({
      title: t('unions.mergeConfirmTitle'),
      content: t('unions.mergeConfirm', {
        name: union.name,
        target: target?.name ?? '',
        n: formatNumber(union.child_count ?? 0),
        date: formatDate(v.effective_date),
      }),
      okText: t('unions.merge'),
      danger: true,
    });
    if (!ok) return;
    try {
      await merge.mutateAsync({ target_id: v.target_id, ...decision(v) });
      release();
      done(t('unions.merged'), `/unions/${v.target_id}`);
    } catch (e) {
      problem.show(e);
    }
  };

  return (
    <>
      <Typography.Paragraph>{t('unions.mergeIntro', { n: formatNumber(union.child_count ?? 0) })}</Typography.Paragraph>
      <FormAlert messages={problem.general} />
      <Form<MergeValues> form={form} layout="vertical" onFinish={submit} onValuesChange={() => setDirty(true)} scrollToFirstError>
        <Form.Item name="target_id" label={t('unions.mergeTarget')} rules={[{ required: true, message: te('required', '') }]}>
          <UnionSelect
            levels={[union.level]}
            excludeIds={[union.id]}
            onPick={setTarget}
          />
        </Form.Item>
        <DecisionFields />
        <FormButtons submitText={t('unions.merge')} loading={merge.isPending} danger />
      </Form>
    </>
  );
}

function DissolveForm({ union }: { union: UnionRead }) {
  const { t } = useI18n();
  const { form, setDirty, release, problem } = useActionForm<DecisionValues>(DECISION_FIELDS);
  const dissolve = useDissolveUnion(union);
  const done = useDone(union);
  const confirm = useConfirm();
  const children = union.child_count ?? 0;

  const submit = async (v: DecisionValues) => {
    problem.clear();
    const ok = await confirm({
      title: t('unions.dissolveConfirmTitle'),
      content: t('unions.dissolveConfirm', { name: union.name, date: formatDate(v.effective_date) }),
      okText: t('unions.dissolve'),
      danger: true,
    });
    if (!ok) return;
    try {
      await dissolve.mutateAsync(decision(v));
      release();
      done(t('unions.dissolved'));
    } catch (e) {
      problem.show(e);
    }
  };

  return (
    <>
      {children > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('unions.dissolveHasChildren', { n: formatNumber(children) })}
        />
      ) : null}
      <FormAlert messages={problem.general} />
      <Form<DecisionValues> form={form} layout="vertical" onFinish={submit} onValuesChange={() => setDirty(true)} scrollToFirstError>
        <DecisionFields />
        <FormButtons submitText={t('unions.dissolve')} loading={dissolve.isPending} danger />
      </Form>
    </>
  );
}

const TITLES: Record<Action, 'unions.editTitle' | 'unions.moveTitle' | 'unions.mergeTitle' | 'unions.dissolveTitle'> = {
  edit: 'unions.editTitle',
  move: 'unions.moveTitle',
  merge: 'unions.mergeTitle',
  dissolve: 'unions.dissolveTitle',
};

export default function UnionActionPage() {
  const { unionId, action } = useParams();
  const { t } = useI18n();
  const { can } = useAuth();
  const { data: union, isPending, isError, error, refetch } = useUnion(unionId);

  if (!(ACTIONS as readonly string[]).includes(action ?? '')) return <NotFoundPage />;
  if (!can('unions:write')) return <ForbiddenState />;
  if (isPending) return <LoadingState rows={8} />;
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  const act = action as Action;

  return (
    <section aria-labelledby="action-title">
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="action-title">
            {t(TITLES[act])}
          </Typography.Title>
          <Link to={`/unions/${union.id}`}>{union.name}</Link>
        </div>
      </div>
      <Card style={{ maxWidth: 820 }}>
        {union.status !== 'active' ? (
          <Alert type="warning" showIcon title={t('unions.inactiveNoChange')} />
        ) : act === 'edit' ? (
          <EditForm union={union} />
        ) : act === 'move' ? (
          <MoveForm union={union} />
        ) : act === 'merge' ? (
          <MergeForm union={union} />
        ) : (
          <DissolveForm union={union} />
        )}
      </Card>
    </section>
  );
}
