import { Card, Col, Row, Skeleton, Statistic, Typography } from 'antd';
import { Suspense, lazy, useMemo, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ErrorState, EmptyState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate, formatNumber } from '../../lib/format';
import { LEVELS, levelLabel } from '../unions/labels';
import { ProgrammesList } from '../programmes/ProgrammesList';
import { useOverview } from './api';
import { levelRows, monthLabel } from './figures';

const EChart = lazy(() => import('../../components/EChart'));
const RED = '#b71c1c';

function Stat({ title, value, loading, testId, extra }: { title: string; value?: number; loading: boolean; testId?: string; extra?: ReactNode }) {
  return (
    <Card>
      <Statistic
        title={title}
        value={value}
        loading={loading}
        formatter={(v) => formatNumber(Number(v))}
        data-testid={testId}
      />
      {extra && !loading ? <div className="stat-extra">{extra}</div> : null}
    </Card>
  );
}

function ChartFallback() {
  return <Skeleton active paragraph={{ rows: 6 }} />;
}

export default function OverviewPage() {
  const { t } = useI18n();
  const { data, isPending, isError, error, refetch } = useOverview();
  const loading = isPending;

  const rows = useMemo(() => (data ? levelRows(data.unions_by_level, LEVELS) : []), [data]);
  const grassroots = rows.filter((r) => r.level === 'grassroots' || r.level === 'occupational').reduce((s, r) => s + r.total, 0);
  const children = useMemo(() => data?.members_by_child ?? [], [data]);

  const childOption = useMemo(
    () => ({
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: number) => formatNumber(v),
      },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatNumber(v) } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: children.map((c) => c.short_name || c.name),
        axisLabel: { width: 220, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          name: t('overview.activeMembers'),
          data: children.map((c) => c.members),
          itemStyle: { color: RED },
          label: { show: true, position: 'right', formatter: (p: { value: number }) => formatNumber(p.value) },
        },
      ],
    }),
    [children, t],
  );

  const months = useMemo(() => data?.admissions_by_month ?? [], [data]);
  const monthOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatNumber(v) },
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: months.map((m) => monthLabel(m.month)) },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => formatNumber(v) } },
      series: [
        {
          type: 'bar',
          name: t('overview.admissions'),
          barMaxWidth: 40,
          data: months.map((m) => m.admissions),
          itemStyle: { color: RED },
          label: { show: true, position: 'top', formatter: (p: { value: number }) => (p.value ? formatNumber(p.value) : '') },
        },
      ],
    }),
    [months, t],
  );

  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;

  return (
    <section aria-labelledby="overview-title">
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="overview-title">
            {t('overview.title')}
          </Typography.Title>
          {data ? (
            <Typography.Text type="secondary">
              {t('overview.scope', { name: data.root_union_name ?? '—', date: formatDate(data.as_of) })}
            </Typography.Text>
          ) : null}
        </div>
      </div>
      <Row gutter={[16, 16]} className="stat-grid">
        <Col xs={24}>
          <ProgrammesList title={t('programmes.overviewTitle')} />
        </Col>
        <Col xs={24} sm={12} xl={8} xxl={4}>
          <Stat title={t('overview.activeUnions')} value={data?.unions_total} loading={loading} testId="stat-total-unions" />
        </Col>
        <Col xs={24} sm={12} xl={8} xxl={4}>
          <Stat title={t('overview.grassroots')} value={grassroots} loading={loading} testId="stat-grassroots" />
        </Col>
        <Col xs={24} sm={12} xl={8} xxl={4}>
          <Stat
            title={t('overview.activeMembers')}
            value={data?.members.active}
            loading={loading}
            testId="stat-members"
            extra={data ? t('overview.membersExtra', { female: formatNumber(data.members.female), suspended: formatNumber(data.members.suspended) }) : null}
          />
        </Col>
        <Col xs={24} sm={12} xl={8} xxl={4}>
          <Stat title={t('overview.newThisYear')} value={data?.members.new_this_year} loading={loading} testId="stat-new-members" />
        </Col>
        <Col xs={24} sm={12} xl={8} xxl={4}>
          <Stat
            title={t('overview.enterprises')}
            value={data?.enterprises.total}
            loading={loading}
            testId="stat-enterprises"
            extra={data ? t('overview.enterprisesExtra', { operating: formatNumber(data.enterprises.operating), withUnion: formatNumber(data.enterprises.with_union) }) : null}
          />
        </Col>
        <Col xs={24} sm={12} xl={8} xxl={4}>
          <Stat
            title={t('overview.eligibleWithoutUnion')}
            value={data?.enterprises.eligible_without_union}
            loading={loading}
            testId="stat-gap"
            extra={
              data ? (
                <Link to="/enterprises/gap">
                  {t('overview.workersWithoutUnion', { n: formatNumber(data.enterprises.workers_without_union) })}
                </Link>
              ) : null
            }
          />
        </Col>

        <Col xs={24} lg={14}>
          <Card title={data?.root_union_name ? t('overview.membersByChildOf', { name: data.root_union_name }) : t('overview.membersByChild')}>
            {loading ? (
              <ChartFallback />
            ) : children.length === 0 ? (
              <EmptyState description={t('overview.noChildMembers')} />
            ) : (
              <Suspense fallback={<ChartFallback />}>
                <EChart
                  option={childOption}
                  label={t('overview.membersByChild')}
                  testId="members-by-child"
                  height={Math.max(180, children.length * 30 + 24)}
                />
              </Suspense>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('overview.byLevelTable')}>
            {loading ? (
              <Skeleton active />
            ) : rows.length === 0 ? (
              <EmptyState description={t('overview.noUnions')} />
            ) : (
              <table className="plain-table" data-testid="level-table">
                <thead>
                  <tr>
                    <th scope="col">{t('union.level')}</th>
                    <td>{t('overview.stateSector')}</td>
                    <td>{t('overview.nonStateSector')}</td>
                    <td>{t('overview.total')}</td>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.level}>
                      <th scope="row">{levelLabel(t, r.level)}</th>
                      <td>{formatNumber(r.state)}</td>
                      <td>{formatNumber(r.non_state)}</td>
                      <td>
                        <strong>{formatNumber(r.total)}</strong>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t('overview.admissionsByMonth')}>
            {loading ? (
              <ChartFallback />
            ) : (
              <Suspense fallback={<ChartFallback />}>
                <EChart option={monthOption} label={t('overview.admissionsByMonth')} testId="admissions" height={240} />
              </Suspense>
            )}
          </Card>
        </Col>
      </Row>
    </section>
  );
}
