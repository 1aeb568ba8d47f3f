import { FundOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType, SortOrder } from 'antd/es/table/interface';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ExportButtons } from '../../components/ExportButtons';
import { NumberFilter } from '../../components/NumberFilter';
import { ErrorState, EmptyState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate, formatNumber } from '../../lib/format';
import { useUrlFilters } from '../../lib/urlState';
import { useAuth } from '../auth/context';
import { useUnion } from '../unions/api';
import { UnionSelect } from '../unions/UnionSelect';
import { useEnterpriseList, type EnterpriseRead } from './api';
import { ENTERPRISE_FILTERS, enterpriseFilterCount, enterpriseFilterQuery, enterpriseListQuery } from './filters';
import { OPERATING_COLOR, OPERATING_STATUSES, OWNERSHIPS, operatingLabel, ownershipLabel } from './labels';
import { FilterField } from '../../components/FilterField';
import { cardColumns } from '../../lib/cardTable';

// The table's columns as the export writes them (figures shown under another are columns of
// their own in the file), in the screen's order.
const EXPORT_COLUMNS = [
  'name',
  'tax_code',
  'ownership',
  'responsible_union',
  'total_workers',
  'female_workers',
  'surveyed_on',
  'union',
  'member_count',
  'union_density',
  'operating_status',
] as const;
const SORT_KEYS: Record<string, string> = { name: 'name', total_workers: 'total_workers', surveyed_on: 'surveyed_on' };

export default function EnterprisesPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { values, update, reset } = useUrlFilters(ENTERPRISE_FILTERS);
  const query = useMemo(() => enterpriseListQuery(values), [values]);
  const { data, isPending, isFetching, isError, error, refetch } = useEnterpriseList(query);
  const { data: union } = useUnion(query.responsible_union_id ?? undefined);
  const count = enterpriseFilterCount(values);
  const [text, setText] = useState(values.q ?? '');
  const [seenQ, setSeenQ] = useState(values.q);
  if (seenQ !== values.q) {
    setSeenQ(values.q);
    setText(values.q ?? '');
  }

  const order = (key: string): SortOrder =>
    query.sort === key ? 'ascend' : query.sort === `-${key}` ? 'descend' : null;
  const columns: ColumnsType<EnterpriseRead> = [
    {
      key: 'name',
      title: t('enterprise.name'),
      width: 280,
      fixed: 'left',
      sorter: true,
      sortOrder: order('name'),
      render: (_, e) => (
        <div>
          <Link to={`/enterprises/${e.id}`}>{e.name}</Link>
          <div className="muted-small">{e.tax_code}</div>
        </div>
      ),
    },
    { key: 'ownership', title: t('enterprise.ownership'), width: 150, render: (_, e) => ownershipLabel(t, e.ownership) },
    { key: 'responsible', title: t('enterprise.responsibleUnion'), width: 200, render: (_, e) => e.responsible_union_name ?? '—' },
    {
      key: 'total_workers',
      title: t('enterprise.workers'),
      align: 'right',
      width: 130,
      sorter: true,
      sortOrder: order('total_workers'),
      render: (_, e) =>
        e.total_workers == null ? (
          '—'
        ) : (
          <span>
            {formatNumber(e.total_workers)}
            <div className="muted-small">{t('enterprise.femaleShort', { n: formatNumber(e.female_workers ?? 0) })}</div>
          </span>
        ),
    },
    {
      key: 'surveyed_on',
      title: t('enterprise.surveyedOn'),
      width: 120,
      sorter: true,
      sortOrder: order('surveyed_on'),
      render: (_, e) => <span className="nowrap">{formatDate(e.surveyed_on) || '—'}</span>,
    },
    {
      key: 'union',
      title: t('enterprise.union'),
      width: 280,
      render: (_, e) =>
        e.union ? (
          <Link to={`/unions/${e.union.id}`}>{e.union.name}</Link>
        ) : e.eligible_to_found ? (
          <Tag color="red">{t('enterprise.eligibleTag')}</Tag>
        ) : (
          <Typography.Text type="secondary">{t('enterprise.noUnion')}</Typography.Text>
        ),
    },
    {
      key: 'members',
      title: t('enterprise.members'),
      align: 'right',
      width: 120,
      render: (_, e) => (
        <span>
          {formatNumber(e.member_count)}
          {e.union_density != null ? <div className="muted-small">{formatNumber(Math.round(e.union_density * 1000) / 10)}%</div> : null}
        </span>
      ),
    },
    {
      key: 'status',
      title: t('enterprise.operatingStatus'),
      width: 140,
      render: (_, e) => <Tag color={OPERATING_COLOR[e.operating_status]}>{operatingLabel(t, e.operating_status)}</Tag>,
    },
  ];

  return (
    <section aria-labelledby="enterprises-title">
      <div className="page-header">
        <Typography.Title level={2} id="enterprises-title">
          {t('enterprises.title')}
        </Typography.Title>
        <Space wrap>
          <Button icon={<FundOutlined />} onClick={() => navigate('/enterprises/gap')}>
            {t('gap.title')}
          </Button>
          <ExportButtons
            path="/api/v1/enterprises/export"
            jobPath="/api/v1/enterprises/export-jobs"
            rows={data?.total ?? 0}
            query={{ ...enterpriseFilterQuery(values), sort: query.sort ?? 'name' }}
            baseName="doanh-nghiep"
            columns={EXPORT_COLUMNS}
          />
          {can('enterprises:write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/enterprises/new')}>
              {t('enterprises.create')}
            </Button>
          ) : null}
        </Space>
      </div>
      <Card>
        <div className="filter-bar" role="search" aria-label={t('enterprises.filters')}>
          <FilterField label={t('enterprises.search')}>
            <Input.Search
              value={text}
              onChange={(e) => setText(e.target.value)}
              allowClear
              enterButton
              placeholder={t('enterprises.search')}
              aria-label={t('enterprises.search')}
              onSearch={(v) => update({ q: v.trim() || undefined })}
              style={{ width: 320, maxWidth: '100%' }}
            />
          </FilterField>
          <FilterField label={t('enterprise.ownership')}>
            <Select
              mode="multiple"
              allowClear
              maxTagCount="responsive"
              placeholder={t('enterprise.ownership')}
              aria-label={t('enterprise.ownership')}
              style={{ minWidth: 200 }}
              value={query.ownership ?? []}
              onChange={(v: string[]) => update({ ownership: v })}
              options={OWNERSHIPS.map((o) => ({ value: o, label: ownershipLabel(t, o) }))}
            />
          </FilterField>
          <FilterField label={t('enterprise.operatingStatus')}>
            <Select
              mode="multiple"
              allowClear
              maxTagCount="responsive"
              placeholder={t('enterprise.operatingStatus')}
              aria-label={t('enterprise.operatingStatus')}
              style={{ minWidth: 180 }}
              value={query.operating_status ?? []}
              onChange={(v: string[]) => update({ status: v })}
              options={OPERATING_STATUSES.map((s) => ({ value: s, label: operatingLabel(t, s) }))}
            />
          </FilterField>
          <FilterField label={t('enterprises.hasUnionFilter')}>
            <Select
              allowClear
              placeholder={t('enterprise.union')}
              aria-label={t('enterprises.hasUnionFilter')}
              style={{ width: 190 }}
              value={query.has_union == null ? undefined : query.has_union ? 'yes' : 'no'}
              onChange={(v?: string) => update({ has_union: v === undefined ? undefined : v === 'yes' })}
              options={[
                { value: 'yes', label: t('enterprises.withUnion') },
                { value: 'no', label: t('enterprises.withoutUnion') },
              ]}
            />
          </FilterField>
          <Space size={4}>
            <span>{t('enterprises.minWorkers')}</span>
            <NumberFilter value={query.min_workers ?? undefined} onCommit={(v) => update({ min_workers: v })} min={0} max={1_000_000} label={t('enterprises.minWorkers')} />
          </Space>
          <label className="switch-label">
            <Switch size="small" checked={Boolean(query.eligible)} onChange={(v) => update({ eligible: v || undefined })} aria-label={t('enterprises.eligibleOnly')} />
            <span>{t('enterprises.eligibleOnly')}</span>
          </label>
          <FilterField label={t('enterprise.responsibleUnion')}>
            <UnionSelect
              style={{ width: 260, maxWidth: '70vw' }}
              placeholder={t('enterprise.responsibleUnion')}
              aria-label={t('enterprise.responsibleUnion')}
              value={query.responsible_union_id ?? undefined}
              initialOption={union ? { id: union.id, name: union.name, code: union.code } : null}
              onChange={(v?: string) => update({ union_id: v })}
            />
          </FilterField>
          {count ? <Button onClick={reset}>{t('members.clearFilters')}</Button> : null}
        </div>
        {isError ? (
          <ErrorState error={error} onRetry={() => refetch()} />
        ) : (
          <Table<EnterpriseRead>
            rowKey="id"
            className="card-table"
            size="middle"
            loading={isPending || isFetching}
            dataSource={data?.items ?? []}
            columns={cardColumns(columns)}
            scroll={{ x: 1450 }}
            locale={{ emptyText: <EmptyState description={count ? t('enterprises.noneMatching') : t('enterprises.none')} /> }}
            onChange={(pagination, _f, sorter, extra) => {
              if (extra.action === 'sort') {
                const s = Array.isArray(sorter) ? sorter[0] : sorter;
                const key = SORT_KEYS[String(s?.columnKey)];
                update({ sort: key && s.order ? (s.order === 'descend' ? `-${key}` : key) : undefined });
              } else if (extra.action === 'paginate') {
                update({ page: pagination.current, size: pagination.pageSize });
              }
            }}
            pagination={{
              current: query.page ?? 1,
              pageSize: query.size ?? 20,
              total: data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (n) => t('enterprises.total', { n: formatNumber(n) }),
            }}
          />
        )}
      </Card>
    </section>
  );
}
