import { Card, Table, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatNumber } from '../../lib/format';
import { useUnion, useUnionList, type UnionListQuery, type UnionRead } from './api';
import { LEVELS, levelLabel, sectorLabel, statusLabel, STATUS_COLOR, type UnionLevel } from './labels';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The unions behind a figure of the overview: under a union (or the whole scope), of some levels
 * and a sector (/unions/list?under_id=...&level=grassroots&sector=state&status=active).
 */
export default function UnionListPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const underId = UUID.test(params.get('under_id') ?? '') ? params.get('under_id')! : undefined;
  const levels = params.getAll('level').filter((l): l is UnionLevel => (LEVELS as string[]).includes(l));
  const sector = params.get('sector') === 'state' || params.get('sector') === 'non_state' ? (params.get('sector') as 'state' | 'non_state') : undefined;
  const status = params.getAll('status').filter((s) => ['active', 'dissolved', 'merged'].includes(s)) as UnionListQuery['status'];
  const page = Math.max(1, Number(params.get('page')) || 1);
  const size = [10, 20, 50, 100].includes(Number(params.get('size'))) ? Number(params.get('size')) : 20;
  const under = useUnion(underId);
  const { data, isPending, isError, error, refetch } = useUnionList({
    under_id: underId,
    level: levels.length ? levels : undefined,
    sector,
    status: status?.length ? status : undefined,
    page,
    size,
    sort: 'name',
  });

  const filters = [
    underId ? t('unionList.under', { name: under.data?.name ?? '…' }) : t('unionList.allScope'),
    ...(levels.length ? [levels.map((l) => levelLabel(t, l)).join(', ')] : []),
    ...(sector ? [sectorLabel(t, sector)] : []),
    ...(status?.length ? [status.map((s) => statusLabel(t, s)).join(', ')] : []),
  ];

  return (
    <section aria-labelledby="union-list-title">
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="union-list-title">
            {t('unionList.title')}
          </Typography.Title>
          <Typography.Text type="secondary" data-testid="union-list-filters">
            {filters.join(' · ')}
          </Typography.Text>
        </div>
      </div>
      <Card>
        {isError ? (
          <ErrorState error={error} onRetry={() => refetch()} />
        ) : (
          <Table<UnionRead>
            rowKey="id"
            size="middle"
            loading={isPending}
            dataSource={data?.items ?? []}
            scroll={{ x: 720 }}
            locale={{ emptyText: <EmptyState description={t('unions.none')} /> }}
            pagination={{
              current: page,
              pageSize: size,
              total: data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (total) => <span data-testid="union-list-total">{t('common.totalRows', { n: formatNumber(total) })}</span>,
              onChange: (p, s) => {
                const next = new URLSearchParams(params);
                next.set('page', String(s !== size ? 1 : p));
                next.set('size', String(s));
                setParams(next, { replace: true });
              },
            }}
            columns={[
              { title: t('union.code'), dataIndex: 'code', width: 150 },
              {
                title: t('union.name'),
                dataIndex: 'name',
                render: (name: string, row) => <Link to={`/unions/${row.id}`}>{name}</Link>,
              },
              { title: t('union.level'), dataIndex: 'level', width: 170, render: (v: string) => levelLabel(t, v) },
              { title: t('union.parent'), dataIndex: 'parent_name', render: (v: string | null, row) => (row.parent_id ? <Link to={`/unions/${row.parent_id}`}>{v}</Link> : '—') },
              {
                title: t('union.memberCount'),
                dataIndex: 'member_count',
                align: 'right',
                width: 120,
                render: (v: number | null, row) => (v == null ? '—' : <Link to={`/members?union_id=${row.id}&status=active`}>{formatNumber(v)}</Link>),
              },
              {
                title: t('union.status'),
                dataIndex: 'status',
                width: 130,
                render: (v: string) => <Tag color={STATUS_COLOR[v]}>{statusLabel(t, v)}</Tag>,
              },
            ]}
          />
        )}
      </Card>
    </section>
  );
}
