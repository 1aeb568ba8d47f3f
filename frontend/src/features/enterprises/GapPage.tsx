import { Button, Card, Col, Collapse, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { NumberFilter } from '../../components/NumberFilter';
import { ErrorState, EmptyState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate, formatNumber } from '../../lib/format';
import { useUrlFilters } from '../../lib/urlState';
import { useGap, type GapQuery, type GapReport } from './api';
import { FOUNDING_MIN_WORKERS, OWNERSHIPS, ownershipLabel, type Ownership } from './labels';
import { FilterField } from '../../components/FilterField';

const GAP_FILTERS = { min_workers: 'int', ownership: 'list' } as const;
type GapEnterprise = GapReport['groups'][number]['enterprises'][number];

export default function GapPage() {
  const { t } = useI18n();
  const { values, update } = useUrlFilters(GAP_FILTERS);
  const query = useMemo<GapQuery>(() => {
    const ownership = (values.ownership ?? []).filter((o): o is Ownership => (OWNERSHIPS as string[]).includes(o));
    const min = values.min_workers;
    return {
      min_workers: min !== undefined && min >= 1 && min <= 1_000_000 ? min : FOUNDING_MIN_WORKERS,
      ownership: ownership.length ? ownership : undefined,
    };
  }, [values]);
  const { data, isPending, isFetching, isError, error, refetch } = useGap(query);
  const [open, setOpen] = useState<string[] | null>(null);
  const groups = data?.groups ?? [];
  // The first groups open on arrival; "expand all" opens the rest.
  const activeKeys = open ?? groups.slice(0, 3).map((g) => g.union.id);

  return (
    <section aria-labelledby="gap-title">
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="gap-title">
            {t('gap.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('gap.intro', { n: formatNumber(query.min_workers ?? FOUNDING_MIN_WORKERS) })}</Typography.Text>
        </div>
      </div>
      <Card>
        <div className="filter-bar">
          <Space size={4}>
            <span>{t('gap.minWorkers')}</span>
            <NumberFilter
              value={query.min_workers ?? FOUNDING_MIN_WORKERS}
              onCommit={(v) => update({ min_workers: v === FOUNDING_MIN_WORKERS ? undefined : v })}
              min={1}
              max={1_000_000}
              label={t('gap.minWorkers')}
            />
          </Space>
          <FilterField label={t('enterprise.ownership')}>
            <Select
              mode="multiple"
              allowClear
              placeholder={t('enterprise.ownership')}
              aria-label={t('enterprise.ownership')}
              style={{ minWidth: 220 }}
              value={query.ownership ?? []}
              onChange={(v: string[]) => update({ ownership: v })}
              options={OWNERSHIPS.map((o) => ({ value: o, label: ownershipLabel(t, o) }))}
            />
          </FilterField>
          {groups.length ? (
            <Space>
              <Button onClick={() => setOpen(groups.map((g) => g.union.id))}>{t('gap.expandAll')}</Button>
              <Button onClick={() => setOpen([])}>{t('gap.collapseAll')}</Button>
            </Space>
          ) : null}
        </div>
        {isError ? (
          <ErrorState error={error} onRetry={() => refetch()} />
        ) : isPending ? (
          <LoadingState rows={6} />
        ) : (
          <>
            <Row gutter={[16, 16]} style={{ marginBottom: 16 }} className={isFetching ? 'is-refreshing' : undefined}>
              <Col xs={12} md={6}>
                <Statistic title={t('gap.enterprises')} value={data.enterprise_count} formatter={(v) => formatNumber(Number(v))} data-testid="gap-enterprises" />
              </Col>
              <Col xs={12} md={6}>
                <Statistic title={t('gap.workers')} value={data.workers_total} formatter={(v) => formatNumber(Number(v))} />
              </Col>
              <Col xs={12} md={6}>
                <Statistic title={t('gap.female')} value={data.female_workers_total} formatter={(v) => formatNumber(Number(v))} />
              </Col>
              <Col xs={12} md={6}>
                <Statistic title={t('gap.unions')} value={data.union_count} formatter={(v) => formatNumber(Number(v))} />
              </Col>
            </Row>
            {groups.length === 0 ? (
              <EmptyState description={t('gap.none', { n: formatNumber(data.min_workers) })} />
            ) : (
              <Collapse
                activeKey={activeKeys}
                onChange={(keys) => setOpen(keys as string[])}
                items={groups.map((g) => ({
                  key: g.union.id,
                  label: (
                    <span className="gap-group" data-testid="gap-group">
                      <strong>{g.union.name}</strong>
                      <span className="muted-small">
                        {' '}
                        · {t('gap.groupTotals', { n: formatNumber(g.enterprise_count), workers: formatNumber(g.workers_total) })}
                      </span>
                    </span>
                  ),
                  children: (
                    <Table<GapEnterprise>
                      rowKey="id"
                      size="small"
                      pagination={false}
                      dataSource={g.enterprises}
                      scroll={{ x: 640 }}
                      columns={[
                        { title: t('enterprise.name'), key: 'name', render: (_, e) => <Link to={`/enterprises/${e.id}`}>{e.name}</Link> },
                        { title: t('enterprise.taxCode'), dataIndex: 'tax_code', width: 130 },
                        { title: t('enterprise.ownership'), dataIndex: 'ownership', width: 160, render: (v: string) => ownershipLabel(t, v) },
                        { title: t('survey.total'), dataIndex: 'total_workers', width: 110, align: 'right', render: (v: number) => formatNumber(v) },
                        { title: t('survey.female'), dataIndex: 'female_workers', width: 110, align: 'right', render: (v: number | null) => formatNumber(v) },
                        { title: t('enterprise.surveyedOn'), dataIndex: 'surveyed_on', width: 120, render: (v: string | null) => formatDate(v) },
                      ]}
                      summary={() => (
                        <Table.Summary.Row>
                          <Table.Summary.Cell index={0} colSpan={3}>
                            <strong>{t('overview.total')}</strong>
                          </Table.Summary.Cell>
                          <Table.Summary.Cell index={3} align="right">
                            <strong>{formatNumber(g.workers_total)}</strong>
                          </Table.Summary.Cell>
                          <Table.Summary.Cell index={4} colSpan={2} />
                        </Table.Summary.Row>
                      )}
                    />
                  ),
                }))}
              />
            )}
          </>
        )}
      </Card>
    </section>
  );
}
