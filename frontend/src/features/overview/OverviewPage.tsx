import { Card, Col, Row, Skeleton, Statistic, Typography } from 'antd';
import { useQueries } from '@tanstack/react-query';
import { Suspense, lazy, useMemo } from 'react';
import { ErrorState, EmptyState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatNumber } from '../../lib/format';
import { fetchUnions, unionKeys, type UnionListQuery } from '../unions/api';
import { LEVELS, SECTORS, levelLabel, sectorLabel } from '../unions/labels';

const EChart = lazy(() => import('../../components/EChart'));

// Counts come from list totals (size=1): one small request per level and sector.
const levelQuery = (level: (typeof LEVELS)[number]): UnionListQuery => ({ level: [level], status: ['active'], size: 1 });
const sectorQuery = (sector: (typeof SECTORS)[number]): UnionListQuery => ({ sector, status: ['active'], size: 1 });

export default function OverviewPage() {
  const { t } = useI18n();
  const queries = [...LEVELS.map(levelQuery), ...SECTORS.map(sectorQuery)];
  const results = useQueries({
    queries: queries.map((q) => ({ queryKey: unionKeys.list(q), queryFn: () => fetchUnions(q) })),
  });
  const loading = results.some((r) => r.isPending);
  const failed = results.find((r) => r.isError);
  const levelCounts = LEVELS.map((level, i) => ({ level, total: results[i].data?.total ?? 0 }));
  const sectorCounts = SECTORS.map((sector, i) => ({ sector, total: results[LEVELS.length + i].data?.total ?? 0 }));
  const total = levelCounts.reduce((sum, c) => sum + c.total, 0);
  const shown = levelCounts.filter((c) => c.total > 0);
  const shownKey = shown.map((c) => `${c.level}:${c.total}`).join(',');

  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatNumber(v) },
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatNumber(v) } },
      yAxis: { type: 'category', inverse: true, data: shown.map((c) => levelLabel(t, c.level)) },
      series: [
        {
          type: 'bar',
          name: t('overview.unions'),
          data: shown.map((c) => c.total),
          itemStyle: { color: '#b71c1c' },
          label: { show: true, position: 'right', formatter: (p: { value: number }) => formatNumber(p.value) },
        },
      ],
    }),
    // shownKey stands for `shown`, which is a new array on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, shownKey],
  );

  if (failed) return <ErrorState error={failed.error} onRetry={() => results.forEach((r) => r.refetch())} />;

  return (
    <section aria-labelledby="overview-title">
      <div className="page-header">
        <Typography.Title level={2} id="overview-title">
          {t('overview.title')}
        </Typography.Title>
      </div>
      <Row gutter={[16, 16]} className="stat-grid">
        <Col xs={24} sm={12} lg={6}>
          <Card>
            <Statistic
              title={t('overview.activeUnions')}
              value={loading ? undefined : total}
              loading={loading}
              formatter={(v) => formatNumber(Number(v))}
              data-testid="stat-total-unions"
            />
          </Card>
        </Col>
        {sectorCounts.map((c) => (
          <Col xs={24} sm={12} lg={6} key={c.sector}>
            <Card>
              <Statistic
                title={t('overview.unionsInSector', { sector: sectorLabel(t, c.sector) })}
                value={c.total}
                loading={loading}
                formatter={(v) => formatNumber(Number(v))}
              />
            </Card>
          </Col>
        ))}
        <Col xs={24} sm={12} lg={6}>
          <Card>
            <Statistic
              title={t('overview.grassroots')}
              value={levelCounts.find((c) => c.level === 'grassroots')?.total ?? 0}
              loading={loading}
              formatter={(v) => formatNumber(Number(v))}
            />
          </Card>
        </Col>

        <Col xs={24} lg={14}>
          <Card title={t('overview.byLevel')}>
            {loading ? (
              <Skeleton active paragraph={{ rows: 6 }} />
            ) : shown.length === 0 ? (
              <EmptyState description={t('overview.noUnions')} />
            ) : (
              <Suspense fallback={<Skeleton active paragraph={{ rows: 6 }} />}>
                <EChart option={option} label={t('overview.byLevel')} height={Math.max(200, shown.length * 56)} />
              </Suspense>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('overview.byLevelTable')}>
            {loading ? (
              <Skeleton active />
            ) : (
              <table className="plain-table" data-testid="level-table">
                <tbody>
                  {levelCounts.map((c) => (
                    <tr key={c.level}>
                      <th scope="row">{levelLabel(t, c.level)}</th>
                      <td>{formatNumber(c.total)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        </Col>

        <Col xs={24}>
          <Card title={t('overview.members')}>
            {/* The member register is not connected yet: say so instead of showing invented numbers. */}
            <EmptyState description={t('overview.membersPending')} />
          </Card>
        </Col>
      </Row>
    </section>
  );
}
