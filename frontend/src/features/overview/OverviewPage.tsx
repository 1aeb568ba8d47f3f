import { Card, Col, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import { Suspense, lazy, useCallback, useMemo, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ErrorState, EmptyState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate, formatNumber } from '../../lib/format';
import { chartLabel, shortUnionName } from '../../lib/unionName';
import { LEVELS, levelLabel } from '../unions/labels';
import { ProgrammesList } from '../programmes/ProgrammesList';
import { TodoList } from '../todo/TodoList';
import { useOverview } from './api';
import { figureLinks, levelRows, monthLabel } from './figures';

const EChart = lazy(() => import('../../components/EChart'));
const RED = '#b71c1c';

function Stat({ title, value, loading, testId, extra, to }: { title: string; value?: number; loading: boolean; testId?: string; extra?: ReactNode; to?: string }) {
  return (
    <Card>
      <Statistic
        title={title}
        value={value}
        loading={loading}
        formatter={(v) => formatNumber(Number(v))}
        valueRender={(node) => (to ? <Link to={to} className="stat-link" data-testid={testId ? `${testId}-link` : undefined}>{node}</Link> : node)}
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
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const unionId = params.get('union') ?? undefined;
  const { data, isPending, isError, error, refetch } = useOverview(unionId);
  const loading = isPending;
  const held = data?.held_units ?? [];
  const links = figureLinks(unionId, new Date().getFullYear());
  const choose = (id: string | undefined) => {
    const next = new URLSearchParams(params);
    if (id) next.set('union', id);
    else next.delete('union');
    setParams(next, { replace: true });
  };

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
        // Full names in the data (the tooltip shows them on hover), short ones on the axis.
        data: children.map((c) => c.name),
        triggerEvent: true,
        axisLabel: { formatter: (name: string) => chartLabel(name), color: '#262626', fontSize: 13 },
      },
      series: [
        {
          type: 'bar',
          name: t('overview.activeMembers'),
          data: children.map((c) => c.members),
          itemStyle: { color: RED },
          cursor: 'pointer',
          label: { show: true, position: 'right', formatter: (p: { value: number }) => formatNumber(p.value) },
        },
      ],
    }),
    [children, t],
  );
  const openChild = useCallback(
    (i: number) => {
      const child = children[i];
      if (child) navigate(`/members?union_id=${child.union_id}&status=active`);
    },
    [children, navigate],
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
          cursor: 'pointer',
          label: { show: true, position: 'top', formatter: (p: { value: number }) => (p.value ? formatNumber(p.value) : '') },
        },
      ],
    }),
    [months, t],
  );
  const openMonth = useCallback(
    (i: number) => {
      const m = months[i];
      if (m) navigate(links.month(m.month));
    },
    [months, navigate, links],
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
            <Typography.Text type="secondary" data-testid="overview-scope">
              {data.root_union_name
                ? t('overview.scope', { name: data.root_union_name, date: formatDate(data.as_of) })
                : t('overview.scopeAll', { n: formatNumber(held.length), date: formatDate(data.as_of) })}
            </Typography.Text>
          ) : null}
        </div>
      </div>
      {held.length > 1 ? (
        <nav aria-label={t('overview.heldUnits')} className="held-units" data-testid="held-units">
          <Typography.Text strong>{t('overview.heldUnits')}:</Typography.Text>
          <Tag.CheckableTag checked={!unionId} onChange={() => choose(undefined)} data-testid="held-unit-all">
            {t('overview.allUnits', { n: formatNumber(held.length) })}
          </Tag.CheckableTag>
          {held.map((u) => (
            <Tag.CheckableTag
              key={u.id}
              checked={unionId === u.id}
              onChange={() => choose(u.id)}
              data-testid="held-unit"
            >
              <span title={u.name}>
                {shortUnionName(u.name)}
                {u.status !== 'active' ? ` (${t(`status.${u.status}` as 'status.dissolved')})` : ''}
              </span>
            </Tag.CheckableTag>
          ))}
        </nav>
      ) : null}
      <Row gutter={[16, 16]} className="stat-grid">
        <Col xs={24}>
          <TodoList />
        </Col>
        <Col xs={24}>
          <ProgrammesList title={t('programmes.overviewTitle')} />
        </Col>
        <Col xs={24} sm={12} xl={8} xxl={4}>
          <Stat title={t('overview.activeUnions')} value={data?.unions_total} loading={loading} testId="stat-total-unions" to={links.unions()} />
        </Col>
        <Col xs={24} sm={12} xl={8} xxl={4}>
          <Stat title={t('overview.grassroots')} value={grassroots} loading={loading} testId="stat-grassroots" to={links.unions(['grassroots', 'occupational'])} />
        </Col>
        <Col xs={24} sm={12} xl={8} xxl={4}>
          <Stat
            title={t('overview.activeMembers')}
            value={data?.members.active}
            loading={loading}
            testId="stat-members"
            to={links.members('active')}
            extra={
              data ? (
                <>
                  <Link to={links.members('active', 'female')}>{t('overview.female', { n: formatNumber(data.members.female) })}</Link>
                  {' · '}
                  <Link to={links.members('suspended')}>{t('overview.suspended', { n: formatNumber(data.members.suspended) })}</Link>
                </>
              ) : null
            }
          />
        </Col>
        <Col xs={24} sm={12} xl={8} xxl={4}>
          <Stat title={t('overview.newThisYear')} value={data?.members.new_this_year} loading={loading} testId="stat-new-members" to={links.newThisYear()} />
        </Col>
        <Col xs={24} sm={12} xl={8} xxl={4}>
          <Stat
            title={t('overview.enterprises')}
            value={data?.enterprises.total}
            loading={loading}
            testId="stat-enterprises"
            to={links.enterprises()}
            extra={
              data ? (
                <>
                  <Link to={links.enterprises('status=operating')}>{t('overview.operating', { n: formatNumber(data.enterprises.operating) })}</Link>
                  {' · '}
                  <Link to={links.enterprises('has_union=true')}>{t('overview.withUnion', { n: formatNumber(data.enterprises.with_union) })}</Link>
                </>
              ) : null
            }
          />
        </Col>
        <Col xs={24} sm={12} xl={8} xxl={4}>
          <Stat
            title={t('overview.eligibleWithoutUnion')}
            value={data?.enterprises.eligible_without_union}
            loading={loading}
            testId="stat-gap"
            to={links.enterprises('eligible=true')}
            extra={
              data ? (
                <Link to={links.gap()}>
                  {t('overview.workersWithoutUnion', { n: formatNumber(data.enterprises.workers_without_union) })}
                </Link>
              ) : null
            }
          />
        </Col>

        <Col xs={24} lg={14}>
          <Card title={data?.root_union_name ? t('overview.membersByChildOf', { name: data.root_union_name }) : held.length > 1 ? t('overview.membersByHeld') : t('overview.membersByChild')}>
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
                  onPick={openChild}
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
                      <td>
                        <Link to={links.unions([r.level], 'state')}>{formatNumber(r.state)}</Link>
                      </td>
                      <td>
                        <Link to={links.unions([r.level], 'non_state')}>{formatNumber(r.non_state)}</Link>
                      </td>
                      <td>
                        <Link to={links.unions([r.level])}>
                          <strong>{formatNumber(r.total)}</strong>
                        </Link>
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
                <EChart option={monthOption} label={t('overview.admissionsByMonth')} testId="admissions" height={240} onPick={openMonth} />
              </Suspense>
            )}
          </Card>
        </Col>
      </Row>
    </section>
  );
}
