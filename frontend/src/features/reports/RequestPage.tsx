import { Card, Descriptions, Space, Statistic, Table, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate, formatDateTime, formatNumber } from '../../lib/format';
import { useRequestStatus, type UnitStatus } from './api';
import { REPORT_STATUSES, STATUS_COLOR } from './labels';

/** A request sent down: who has reported, who is late, who is missing; the upper union's own report. */
export default function RequestPage() {
  const { requestId } = useParams();
  const { t } = useI18n();
  const { data, isPending, isError, error, refetch } = useRequestStatus(requestId);
  if (isError) return <ErrorState error={error} onRetry={() => void refetch()} />;
  if (isPending) return <LoadingState rows={6} />;
  const r = data.request;
  const unitColumns = [
    {
      title: t('reports.unit'),
      key: 'unit',
      render: (_: unknown, u: UnitStatus) => <Link to={`/reports/${u.report_id}`}>{u.union_name}</Link>,
    },
    {
      title: t('reports.status'),
      key: 'status',
      width: 220,
      render: (_: unknown, u: UnitStatus) => (
        <span>
          <Tag color={STATUS_COLOR[u.status]}>{t(`reportStatus.${u.status}`)}</Tag>
          {u.missing ? <Tag color="error">{t('reports.missing')}</Tag> : u.late ? <Tag color="warning">{t('reports.late')}</Tag> : null}
        </span>
      ),
    },
    { title: t('reports.submittedAt'), dataIndex: 'submitted_at', width: 170, render: (d: string | null) => formatDateTime(d) },
    { title: t('reports.approvedAt'), dataIndex: 'approved_at', width: 170, render: (d: string | null) => formatDateTime(d) },
  ];
  return (
    <section aria-labelledby="request-title">
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="request-title">
            {r.title}
          </Typography.Title>
          <Typography.Text type="secondary">
            {r.template.name} · {r.union_name}
          </Typography.Text>
        </div>
        {r.own_report_id ? (
          <Link to={`/reports/${r.own_report_id}`} data-testid="own-report-link">
            {t('reports.ownReport')}
          </Link>
        ) : null}
      </div>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Card>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 3 }}
            items={[
              { key: 'period', label: t('reports.period'), children: `${formatDate(r.period_from)} – ${formatDate(r.period_to)}` },
              { key: 'deadline', label: t('reports.deadline'), children: formatDate(r.deadline) },
              { key: 'units', label: t('reports.units'), children: formatNumber(r.units) },
              ...(r.note ? [{ key: 'note', label: t('reports.note'), children: r.note }] : []),
              ...(r.parent_request_id
                ? [
                    {
                      key: 'parent',
                      label: t('reports.forwardedFrom'),
                      children: (
                        <Link to={`/reports/requests/${r.parent_request_id}`} data-testid="parent-request-link">
                          {t('reports.parentRequest')}
                        </Link>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          <Space size="large" wrap style={{ marginTop: 16 }} data-testid="request-counts">
            {REPORT_STATUSES.map((s) => (
              <Statistic key={s} title={t(`reportStatus.${s}`)} value={data.counts[s] ?? 0} formatter={(v) => formatNumber(Number(v))} />
            ))}
          </Space>
        </Card>
        <Card title={t('reports.unitsTitle')}>
          <Table<UnitStatus>
            rowKey="report_id"
            size="small"
            pagination={false}
            dataSource={data.units}
            columns={unitColumns}
            data-testid="request-units"
            scroll={{ x: 720 }}
          />
        </Card>
        <Card title={t('reports.lateMissing')}>
          {data.late.length + data.missing.length === 0 ? (
            <Typography.Text type="secondary">{t('reports.noneLate')}</Typography.Text>
          ) : (
            <Table<UnitStatus>
              rowKey="report_id"
              size="small"
              pagination={false}
              dataSource={[...data.missing, ...data.late.filter((u) => !u.missing)]}
              columns={unitColumns}
              data-testid="request-late"
              scroll={{ x: 720 }}
            />
          )}
        </Card>
      </Space>
    </section>
  );
}
