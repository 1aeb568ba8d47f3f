import { BankOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Card, Col, Descriptions, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { Suspense, lazy, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorState, EmptyState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import { useAuth } from '../auth/context';
import { useEnterprise, useSurveys, type EnterpriseRead, type SurveyRead } from './api';
import { FoundUnionModal } from './FoundUnionModal';
import { OPERATING_COLOR, operatingLabel, ownershipLabel } from './labels';
import { SurveyModal } from './SurveyModal';
import { CommuneName } from '../places/CommuneName';
import { IndustryName } from '../places/IndustryName';

const EChart = lazy(() => import('../../components/EChart'));

function Info({ e }: { e: EnterpriseRead }) {
  const { t } = useI18n();
  const dash = '—';
  const items: DescriptionsProps['items'] = [
    { key: 'tax', label: t('enterprise.taxCode'), children: <span className="mono">{e.tax_code}</span> },
    { key: 'short', label: t('union.shortName'), children: e.short_name ?? dash },
    { key: 'ownership', label: t('enterprise.ownership'), children: ownershipLabel(t, e.ownership) },
    { key: 'status', label: t('enterprise.operatingStatus'), children: <Tag color={OPERATING_COLOR[e.operating_status]}>{operatingLabel(t, e.operating_status)}</Tag> },
    { key: 'vsic', label: t('enterprise.vsic'), children: <IndustryName code={e.vsic_code} /> },
    { key: 'zone', label: t('enterprise.industrialZone'), children: e.industrial_zone ?? dash },
    { key: 'address', label: t('union.address'), children: e.address ?? dash, span: 'filled' },
    { key: 'commune', label: t('union.communeCode'), children: <CommuneName code={e.commune_code} /> },
    { key: 'rep', label: t('enterprise.representative'), children: e.representative ?? dash },
    { key: 'phone', label: t('union.phone'), children: e.phone ?? dash },
    { key: 'email', label: t('union.email'), children: e.email ?? dash },
    {
      key: 'responsible',
      label: t('enterprise.responsibleUnion'),
      children: <Link to={`/unions/${e.responsible_union_id}`}>{e.responsible_union_name ?? e.responsible_union_id}</Link>,
    },
    {
      key: 'union',
      label: t('enterprise.union'),
      children: e.union ? (
        <Link to={`/unions/${e.union.id}`}>{e.union.name}</Link>
      ) : e.eligible_to_found ? (
        <Tag color="red">{t('enterprise.eligibleTag')}</Tag>
      ) : (
        t('enterprise.noUnion')
      ),
    },
    { key: 'workers', label: t('enterprise.workers'), children: e.total_workers == null ? dash : formatNumber(e.total_workers) },
    { key: 'female', label: t('survey.female'), children: e.female_workers == null ? dash : formatNumber(e.female_workers) },
    { key: 'surveyed', label: t('enterprise.surveyedOn'), children: formatDate(e.surveyed_on) || dash },
    {
      key: 'members',
      label: t('enterprise.members'),
      children: (
        <Link to={`/members?enterprise_id=${e.id}`}>
          {formatNumber(e.member_count)}
          {e.union_density != null ? ` (${formatNumber(Math.round(e.union_density * 1000) / 10)}%)` : ''}
        </Link>
      ),
    },
    { key: 'updated', label: t('union.updatedAt'), children: formatDateTime(e.updated_at) },
  ];
  return <Descriptions bordered size="middle" column={{ xs: 1, md: 2 }} items={items} />;
}

function Surveys({ e, canWrite }: { e: EnterpriseRead; canWrite: boolean }) {
  const { t } = useI18n();
  const [adding, setAdding] = useState(false);
  const { data, isPending, isError, error, refetch } = useSurveys(e.id);
  const oldestFirst = useMemo(() => [...(data ?? [])].reverse(), [data]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatNumber(v) },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: oldestFirst.map((s) => formatDate(s.surveyed_on)) },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => formatNumber(v) } },
      series: [
        { type: 'bar', barMaxWidth: 48, name: t('survey.total'), data: oldestFirst.map((s) => s.total_workers), itemStyle: { color: '#b71c1c' } },
        { type: 'line', name: t('survey.female'), data: oldestFirst.map((s) => s.female_workers), itemStyle: { color: '#1677ff' }, symbolSize: 8 },
      ],
    }),
    [oldestFirst, t],
  );
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  return (
    <Card
      title={t('survey.history')}
      extra={
        canWrite ? (
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            {t('survey.add')}
          </Button>
        ) : null
      }
    >
      {isPending ? (
        <LoadingState />
      ) : data.length === 0 ? (
        <EmptyState description={t('survey.none')} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <Suspense fallback={<Skeleton active />}>
              <EChart option={option} label={t('survey.chart')} testId="surveys" height={260} />
            </Suspense>
          </Col>
          <Col xs={24} xl={12}>
            <Table<SurveyRead>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={data}
              scroll={{ x: 420 }}
              columns={[
                {
                  title: t('survey.date'),
                  dataIndex: 'surveyed_on',
                  render: (v: string, s) => (
                    <>
                      {formatDate(v)} {s.is_current ? <Tag color="blue">{t('survey.current')}</Tag> : null}
                    </>
                  ),
                },
                { title: t('survey.total'), dataIndex: 'total_workers', align: 'right', render: (v: number) => formatNumber(v) },
                { title: t('survey.female'), dataIndex: 'female_workers', align: 'right', render: (v: number) => formatNumber(v) },
                { title: t('union.note'), dataIndex: 'note', render: (v: string | null) => v ?? '' },
              ]}
            />
          </Col>
        </Row>
      )}
      {adding ? <SurveyModal enterpriseId={e.id} onClose={() => setAdding(false)} /> : null}
    </Card>
  );
}

export default function EnterpriseDetailPage() {
  const { enterpriseId } = useParams();
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [founding, setFounding] = useState(false);
  const { data: e, isPending, isError, error, refetch } = useEnterprise(enterpriseId);
  if (isPending) return <LoadingState rows={8} />;
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  const canWrite = can('enterprises:write');
  const mayFound = canWrite && can('unions:write') && !e.has_union && e.operating_status === 'operating';
  return (
    <section aria-labelledby="enterprise-title">
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/enterprises">{t('nav.enterprises')}</Link> }, { title: e.name }]} />
      <div className="page-header">
        <Typography.Title level={2} id="enterprise-title">
          {e.name}
        </Typography.Title>
        <Space wrap>
          {canWrite ? (
            <Button icon={<EditOutlined />} onClick={() => navigate(`/enterprises/${e.id}/edit`)}>
              {t('common.edit')}
            </Button>
          ) : null}
          {mayFound ? (
            <Button type="primary" icon={<BankOutlined />} onClick={() => setFounding(true)}>
              {t('foundUnion.button')}
            </Button>
          ) : null}
        </Space>
      </div>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Card>
          <Info e={e} />
        </Card>
        <Surveys e={e} canWrite={canWrite} />
      </Space>
      {founding ? <FoundUnionModal enterprise={e} onClose={() => setFounding(false)} /> : null}
    </section>
  );
}
