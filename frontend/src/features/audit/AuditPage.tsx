import { useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Descriptions, Input, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import type { paths } from '../../client/schema';
import { ErrorState, EmptyState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { DATE_FORMAT, formatDateTime, formatNumber } from '../../lib/format';
import { UnionSelect } from '../unions/UnionSelect';

type Entry = Schemas['AuditEntryRead'];
type Query = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>;

const ENTITY_TYPES = ['union', 'user', 'member', 'enterprise', 'import'] as const;

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
          <Select
            allowClear
            placeholder={t('audit.entityType')}
            aria-label={t('audit.entityType')}
            style={{ width: 180 }}
            onChange={(v?: string) => set({ entity_type: v })}
            options={ENTITY_TYPES.map((e) => ({ value: e, label: t(`audit.entity.${e}`) }))}
          />
          <Input.Search
            allowClear
            placeholder={t('audit.actionPrefix')}
            aria-label={t('audit.actionPrefix')}
            style={{ width: 220 }}
            onSearch={(v) => set({ action: v.trim() || undefined })}
          />
          <UnionSelect
            style={{ width: 300, maxWidth: '80vw' }}
            placeholder={t('audit.union')}
            aria-label={t('audit.union')}
            onChange={(v?: string) => set({ union_id: v })}
          />
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
              { title: t('audit.actor'), dataIndex: 'actor_username', width: 140, render: (v: string | null) => v ?? t('audit.system') },
              { title: t('audit.action'), dataIndex: 'action', width: 200, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
              {
                title: t('audit.entity'),
                key: 'entity',
                render: (_, e) =>
                  e.entity_type === 'union' && e.entity_id ? (
                    <Link to={`/unions/${e.entity_id}`}>{t('audit.entity.union')}</Link>
                  ) : (
                    <span>
                      {t(`audit.entity.${e.entity_type}` as 'audit.entity.union')}
                      {e.entity_id ? <Typography.Text type="secondary"> {e.entity_id.slice(-8)}</Typography.Text> : null}
                    </span>
                  ),
              },
              { title: t('audit.requestId'), dataIndex: 'request_id', width: 140, render: (v: string | null) => (v ? v.slice(0, 12) : '') },
            ]}
          />
        )}
      </Card>
    </section>
  );
}
