import { useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Descriptions, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { LoadNote } from '../../components/SelectNote';
import { api, unwrap, type Schemas } from '../../api/client';
import type { paths } from '../../client/schema';
import { ErrorState, EmptyState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n/messages';
import { vi as AUDIT_STRINGS } from '../../i18n/strings/audit';
import { DATE_FORMAT, formatDateTime, formatNumber } from '../../lib/format';
import { UnionSelect } from '../unions/UnionSelect';
import { FilterField } from '../../components/FilterField';

type Entry = Schemas['AuditEntryRead'];
type Query = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>;

const ENTITY_TYPES = ['union', 'member', 'enterprise', 'user', 'import_job', 'transfer_request', 'cadre_assignment', 'evaluation'] as const;

type AuditKey = Extract<MessageKey, `audit.${string}`>;
const ACTION_PREFIX = 'audit.action.';
/** Every action the catalog names, grouped by what it acts on (member.*, union.*, ...). */
const ACTIONS = (Object.keys(AUDIT_STRINGS) as AuditKey[])
  .filter((k) => k.startsWith(ACTION_PREFIX))
  .map((k) => k.slice(ACTION_PREFIX.length));
const GROUPS = ['member', 'transfer', 'cadre', 'union', 'enterprise', 'import', 'evaluation', 'programme', 'training', 'user', 'client', 'auth'] as const;
const groupOf = (action: string) => {
  const head = action.split('.')[0].replace(/s$/, '').replace(/_(round|scheme)$/, '').replace(/^webhook$/, 'client').replace(/^(programme_target|target_allocation)$/, 'programme').replace(/^(course|course_kind|course_participant|qualification|spending|training_due)$/, 'training');
  return (GROUPS as readonly string[]).includes(head) ? head : 'member';
};

/** Where an entry's record lives in the app, when it has a page of its own. */
function recordPath(e: Entry): string | null {
  if (!e.entity_id) return null;
  switch (e.entity_type) {
    case 'member':
      return `/members/${e.entity_id}`;
    case 'union':
      return `/unions/${e.entity_id}`;
    case 'enterprise':
      return `/enterprises/${e.entity_id}`;
    default:
      return null;
  }
}

function ActorSelect({ onChange }: { onChange: (id?: string) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const { data, isFetching, isError } = useQuery({
    queryKey: ['audit', 'actors', q],
    queryFn: () => unwrap(api.GET('/api/v1/audit/actors', { params: { query: q ? { q } : {} } })),
    placeholderData: (previous) => previous,
  });
  return (
    <FilterField label={t('audit.actorFilter')}>
      <Select
        allowClear
        showSearch={{ filterOption: false, onSearch: setQ }}
        loading={isFetching}
        notFoundContent={<LoadNote fetching={isFetching} failed={isError} />}
        placeholder={t('audit.actorFilter')}
        aria-label={t('audit.actorFilter')}
        style={{ width: 240 }}
        onChange={(v?: string) => onChange(v)}
        options={(data ?? []).map((a) => ({ value: a.id, label: `${a.full_name} (${a.username})` }))}
      />
    </FilterField>
  );
}

function Changes({ entry }: { entry: Entry }) {
  const { t } = useI18n();
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  if (!keys.length) return <Typography.Text type="secondary">{t('audit.noChanges')}</Typography.Text>;
  const show = (v: unknown) => (v === undefined || v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return (
    <Descriptions size="small" column={1} bordered>
      {keys.map((k) => (
        <Descriptions.Item key={k} label={k}>
          <Typography.Text delete type="secondary">
            {show(before[k])}
          </Typography.Text>{' '}
          → <Typography.Text>{show(after[k])}</Typography.Text>
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

export default function AuditPage() {
  const { t } = useI18n();
  const actionName = (action: string) =>
    ACTIONS.includes(action) ? t(`${ACTION_PREFIX}${action}` as AuditKey) : action;
  const entityName = (type: string) =>
    `audit.entity.${type}` in AUDIT_STRINGS ? t(`audit.entity.${type}` as AuditKey) : type;
  const [filters, setFilters] = useState<Query>({ page: 1, size: 20 });
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const set = (patch: Partial<Query>) => setFilters((f) => ({ ...f, ...patch, page: patch.page ?? 1 }));

  const { data, isPending, isError, error, refetch } = useQuery({
    queryKey: ['audit', filters],
    queryFn: () => unwrap(api.GET('/api/v1/audit', { params: { query: filters } })),
    placeholderData: (previous) => previous,
  });

  return (
    <section aria-labelledby="audit-title">
      <div className="page-header">
        <Typography.Title level={2} id="audit-title">
          {t('audit.title')}
        </Typography.Title>
      </div>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <FilterField label={t('audit.entityType')}>
            <Select
              allowClear
              placeholder={t('audit.entityType')}
              aria-label={t('audit.entityType')}
              style={{ width: 180 }}
              onChange={(v?: string) => set({ entity_type: v })}
              options={ENTITY_TYPES.map((e) => ({ value: e, label: entityName(e) }))}
            />
          </FilterField>
          <FilterField label={t('audit.actionType')}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('audit.actionType')}
              aria-label={t('audit.actionType')}
              style={{ width: 280 }}
              onChange={(v?: string) => set({ action_exact: v })}
              options={GROUPS.map((g) => ({
                label: t(`audit.group.${g}`),
                options: ACTIONS.filter((a) => groupOf(a) === g).map((a) => ({ value: a, label: actionName(a) })),
              })).filter((g) => g.options.length)}
            />
          </FilterField>
          <ActorSelect onChange={(id) => set({ actor_id: id })} />
          <FilterField label={t('audit.union')}>
            <UnionSelect
              style={{ width: 300, maxWidth: '80vw' }}
              placeholder={t('audit.union')}
              aria-label={t('audit.union')}
              onChange={(v?: string) => set({ union_id: v })}
            />
          </FilterField>
          <FilterField label={t('audit.period')}>
            <DatePicker.RangePicker
              format={DATE_FORMAT}
              value={range}
              aria-label={t('audit.period')}
              placeholder={[t('audit.from'), t('audit.to')]}
              onChange={(value) => {
                setRange(value);
                set({
                  // Whole local days: from the first day's start to the day after the last.
                  from: value?.[0] ? value[0].startOf('day').toISOString() : undefined,
                  to: value?.[1] ? value[1].add(1, 'day').startOf('day').toISOString() : undefined,
                });
              }}
            />
          </FilterField>
        </Space>
        {isError ? (
          <ErrorState error={error} onRetry={() => refetch()} />
        ) : (
          <Table<Entry>
            rowKey="id"
            size="middle"
            loading={isPending}
            dataSource={data?.items ?? []}
            scroll={{ x: 800 }}
            locale={{ emptyText: <EmptyState description={t('audit.none')} /> }}
            expandable={{ expandedRowRender: (entry) => <Changes entry={entry} /> }}
            pagination={{
              current: filters.page,
              pageSize: filters.size,
              total: data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (n) => t('common.totalRows', { n: formatNumber(n) }),
              onChange: (page, size) => setFilters((f) => ({ ...f, page, size })),
            }}
            columns={[
              { title: t('audit.at'), dataIndex: 'at', width: 160, render: (v: string) => formatDateTime(v) },
              {
                title: t('audit.actor'),
                key: 'actor',
                width: 200,
                render: (_, e) => e.actor_name ?? e.actor_username ?? t('audit.system'),
              },
              {
                title: t('audit.action'),
                key: 'action',
                render: (_, e) => {
                  const path = recordPath(e);
                  const what = e.entity_label ?? (e.entity_type === 'member' && !e.entity_id ? null : entityName(e.entity_type));
                  return (
                    <span data-testid="audit-action">
                      {actionName(e.action)}
                      {what ? ' - ' : null}
                      {what && path ? <Link to={path}>{what}</Link> : what}
                    </span>
                  );
                },
              },
              {
                title: t('audit.union'),
                key: 'union',
                width: 240,
                render: (_, e) =>
                  e.union_id ? <Link to={`/unions/${e.union_id}`}>{e.union_name ?? entityName('union')}</Link> : '',
              },
              { title: t('audit.requestId'), dataIndex: 'request_id', width: 120, render: (v: string | null) => (v ? v.slice(0, 12) : '') },
            ]}
          />
        )}
      </Card>
    </section>
  );
}
