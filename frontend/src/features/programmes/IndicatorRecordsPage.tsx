import { Card, Checkbox, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ErrorState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate, formatNumber } from '../../lib/format';
import { useCatalogue, useRecords, type IndicatorRecord, type RecordsQuery } from './api';

const PAGE_SIZE = 50;

function hrefOf(r: IndicatorRecord): string | null {
  if (r.kind === 'member' || r.kind === 'admission') return `/members/${r.id}`;
  if (r.kind === 'enterprise') return `/enterprises/${r.id}`;
  if (r.kind === 'union') return `/unions/${r.id}`;
  return `/unions/${r.union_id}`;
}

/** The records behind an indicator's number: every row counted, page by page. */
export default function IndicatorRecordsPage() {
  const { key = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const { t, lang } = useI18n();
  const catalogue = useCatalogue();
  const definition = catalogue.data?.find((i) => i.key === key);
  const query = useMemo<RecordsQuery>(() => {
    const q: RecordsQuery = { page: Number(params.get('page') || 1), size: PAGE_SIZE };
    for (const name of ['union_id', 'as_of', 'from', 'to', 'child_id'] as const) {
      const v = params.get(name);
      if (v) q[name] = v;
    }
    const minWorkers = params.get('min_workers');
    if (minWorkers && /^\d{1,5}$/.test(minWorkers)) q.min_workers = Number(minWorkers);
    if (params.get('in_numerator') === 'true') q.in_numerator = true;
    return q;
  }, [params]);
  const { data, isPending, isError, error, refetch } = useRecords(key, query);
  const share = definition?.unit === 'share';

  const set = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(name);
    else next.set(name, value);
    if (name !== 'page') next.delete('page');
    setParams(next, { replace: true });
  };

  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  const name = definition ? (lang === 'vi' ? definition.name_vi : definition.name_en) : key;
  return (
    <section aria-labelledby="records-title">
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="records-title">
            {t('records.title')}: {name}
          </Typography.Title>
          {definition ? (
            <Typography.Paragraph type="secondary" style={{ maxWidth: 900 }}>
              {lang === 'vi' ? definition.definition_vi : definition.definition_en}
            </Typography.Paragraph>
          ) : null}
          <Typography.Text type="secondary">
            {[query.from && formatDate(query.from), query.to && formatDate(query.to)].filter(Boolean).join(' – ') ||
              formatDate(query.as_of)}
          </Typography.Text>
        </div>
      </div>
      <Card>
        <div className="filter-bar">
          {share ? (
            <Checkbox checked={query.in_numerator === true} onChange={(e) => set('in_numerator', e.target.checked ? 'true' : null)}>
              {t('records.onlyNumerator')}
            </Checkbox>
          ) : null}
          {data ? <span data-testid="records-total">{t('common.totalRows', { n: formatNumber(data.total) })}</span> : null}
        </div>
        <Table<IndicatorRecord>
          rowKey={(r) => `${r.kind}-${r.id}`}
          loading={isPending}
          dataSource={data?.items ?? []}
          data-testid="records-table"
          locale={{ emptyText: t('records.none') }}
          pagination={{
            current: query.page,
            pageSize: PAGE_SIZE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            onChange: (page) => set('page', String(page)),
          }}
          columns={[
            {
              title: t('records.name'),
              dataIndex: 'label',
              render: (label: string, r) => {
                const href = hrefOf(r);
                return href ? <Link to={href}>{label}</Link> : label;
              },
            },
            { title: t('records.code'), dataIndex: 'code' },
            { title: t('records.union'), dataIndex: 'union_name' },
            { title: t('records.day'), dataIndex: 'day', render: (d: string | null) => formatDate(d) },
            { title: t('records.numerator'), dataIndex: 'numerator', align: 'right', render: (n: number) => formatNumber(n) },
            ...(share
              ? [
                  {
                    title: t('records.denominator'),
                    dataIndex: 'denominator',
                    align: 'right' as const,
                    render: (n: number | null) => formatNumber(n),
                  },
                ]
              : []),
            { title: t('records.detail'), dataIndex: 'detail' },
          ]}
        />
      </Card>
    </section>
  );
}
