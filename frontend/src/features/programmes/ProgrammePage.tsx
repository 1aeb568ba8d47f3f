import { EditOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Progress, Row, Skeleton, Space, Table, Typography } from 'antd';
import { Suspense, lazy, useMemo } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate } from '../../lib/format';
import { useAuth } from '../auth/context';
import { recordsLink, useProgress, type ChildProgress, type ProgrammeProgress, type TargetProgress } from './api';
import { formatValue, percentOf } from './figures';
import { StatusTag } from './StatusTag';

const EChart = lazy(() => import('../../components/EChart'));
const RED = '#b71c1c';

function Trend({ target }: { target: TargetProgress }) {
  const { t, lang } = useI18n();
  const locale = lang === 'vi' ? 'vi-VN' : 'en-US';
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatValue(String(v), target.unit, locale) },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: target.trend.map((p) => String(p.year)) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatValue(String(v), target.unit, locale) } },
      series: [
        {
          type: 'bar',
          name: t('programmes.actual'),
          barMaxWidth: 32,
          data: target.trend.map((p) => (p.actual === null ? null : Number(p.actual))),
          itemStyle: { color: RED },
        },
      ],
    }),
    [target, t, locale],
  );
  if (target.trend.length === 0) return null;
  return (
    <Suspense fallback={<Skeleton active paragraph={{ rows: 3 }} />}>
      <EChart option={option} label={t('programmes.trend')} height={150} testId={`trend-${target.indicator_key}`} />
    </Suspense>
  );
}

function Children({ progress, target }: { progress: ProgrammeProgress; target: TargetProgress }) {
  const { t, lang } = useI18n();
  const locale = lang === 'vi' ? 'vi-VN' : 'en-US';
  if (target.children.length === 0) return <Typography.Text type="secondary">{t('programmes.noChildren')}</Typography.Text>;
  return (
    <Table<ChildProgress>
      size="small"
      rowKey={(c) => c.union_id ?? 'self'}
      pagination={false}
      scroll={{ x: 640, y: 320 }}
      dataSource={target.children}
      data-testid={`children-${target.indicator_key}`}
      columns={[
        { title: t('programmes.rank'), dataIndex: 'rank', width: 64, render: (r: number | null) => r ?? '' },
        { title: t('programmes.unit'), dataIndex: 'name', width: 240, render: (n: string, c) => (c.union_id ? n : t('programmes.self')) },
        {
          title: t('programmes.allocation'),
          dataIndex: 'target',
          align: 'right',
          render: (v: string | null) => formatValue(v, target.unit, locale),
        },
        {
          title: t('programmes.actual'),
          dataIndex: 'actual',
          align: 'right',
          render: (v: string | null, c) => (
            <Link to={recordsLink(progress, target, c.union_id)}>{formatValue(v, target.unit, locale)}</Link>
          ),
        },
        {
          title: t('programmes.share'),
          dataIndex: 'share_achieved',
          align: 'right',
          render: (v: string | null) => formatValue(v, 'share', locale),
        },
        { title: '', dataIndex: 'status', width: 150, render: (s: ChildProgress['status']) => <StatusTag status={s} /> },
      ]}
    />
  );
}

function TargetCard({ progress, target }: { progress: ProgrammeProgress; target: TargetProgress }) {
  const { t, lang } = useI18n();
  const locale = lang === 'vi' ? 'vi-VN' : 'en-US';
  const unavailable = target.status === 'unavailable';
  return (
    <Card
      title={<span title={target.title}>{target.title}</span>}
      extra={<StatusTag status={target.status} />}
      data-testid={`target-${target.indicator_key}`}
    >
      <Typography.Text type="secondary">{t(`targetKind.${target.kind}`)}</Typography.Text>
      {unavailable ? (
        <Alert type="info" showIcon message={t('programmes.unavailable')} style={{ marginTop: 8 }} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Row gutter={16}>
            <Col span={8}>
              <div className="stat-label">{t('programmes.actual')}</div>
              <Link to={recordsLink(progress, target)} data-testid={`actual-${target.indicator_key}`} className="stat-value">
                {formatValue(target.actual, target.unit, locale)}
              </Link>
              {target.denominator !== null ? (
                <div className="stat-extra">
                  {t('programmes.ratio', {
                    num: formatValue(String(target.numerator ?? 0), 'count', locale),
                    den: formatValue(String(target.denominator), 'count', locale),
                  })}
                </div>
              ) : null}
            </Col>
            <Col span={8}>
              <div className="stat-label">{t('programmes.target')}</div>
              <div className="stat-value">{formatValue(target.target, target.unit, locale)}</div>
            </Col>
            {target.baseline !== null ? (
              <Col span={8}>
                <div className="stat-label">{t('programmes.baseline')}</div>
                <div className="stat-value">{formatValue(target.baseline, target.unit, locale)}</div>
              </Col>
            ) : null}
          </Row>
          <Progress
            percent={percentOf(target.share_achieved)}
            success={{ percent: Math.min(percentOf(target.expected_share), percentOf(target.share_achieved)) }}
            status={target.status === 'behind' ? 'exception' : target.status === 'met' ? 'success' : 'active'}
            format={(p) => `${formatValue(String((p ?? 0) / 100), 'share', locale)}`}
            aria-label={t('programmes.share')}
          />
          <Typography.Text type="secondary">
            {t('programmes.achieved', {
              share: formatValue(target.share_achieved, 'share', locale),
              expected: formatValue(target.expected_share, 'share', locale),
            })}
          </Typography.Text>
          <Trend target={target} />
          <Typography.Title level={5}>{t('programmes.children')}</Typography.Title>
          <Children progress={progress} target={target} />
        </Space>
      )}
    </Card>
  );
}

export default function ProgrammePage() {
  const { programmeId } = useParams();
  const { t, lang } = useI18n();
  const locale = lang === 'vi' ? 'vi-VN' : 'en-US';
  const { can } = useAuth();
  const navigate = useNavigate();
  const { data, isPending, isError, error, refetch } = useProgress(programmeId);
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  if (isPending) return <LoadingState rows={8} />;
  return (
    <section aria-labelledby="programme-title">
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="programme-title">
            {data.number} · {data.title}
          </Typography.Title>
          <Typography.Text type="secondary" data-testid="programme-as-of">
            {data.union_name} · {t('programmes.termRange', { from: formatDate(data.term_start), to: formatDate(data.term_end) })} ·{' '}
            {t('programmes.asOf', { date: formatDate(data.as_of), elapsed: formatValue(data.elapsed_share, 'share', locale) })}
          </Typography.Text>
        </div>
        {can('programmes:write') ? (
          <Button icon={<EditOutlined />} onClick={() => navigate(`/programmes/${data.programme_id}/edit`)}>
            {t('programmes.edit')}
          </Button>
        ) : null}
      </div>
      <Row gutter={[16, 16]}>
        {data.targets.map((target) => (
          <Col key={target.target_id} xs={24} xl={12}>
            <TargetCard progress={data} target={target} />
          </Col>
        ))}
      </Row>
    </section>
  );
}
