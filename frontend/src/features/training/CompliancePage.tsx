import { Card, DatePicker, InputNumber, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import { Suspense, lazy, useState } from 'react';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n/messages';
import { DATE_FORMAT, formatDate, formatNumber, toApiDate, type dayjs } from '../../lib/format';
import { UnionSelect } from '../unions/UnionSelect';
import { useCompliance, type Indicator } from './api';

const EChart = lazy(() => import('../../components/EChart'));

function percent(share: string | null | undefined): string {
  return share == null ? '—' : `${formatNumber(Math.round(Number(share) * 1000) / 10)}%`;
}

export default function CompliancePage() {
  const { t } = useI18n();
  const [unionId, setUnionId] = useState<string | undefined>();
  const [asOf, setAsOf] = useState<ReturnType<typeof dayjs> | null>(null);
  const [year, setYear] = useState<number | null>(null);
  const { data, isPending, isError, error, refetch } = useCompliance({
    union_id: unionId,
    as_of: toApiDate(asOf) ?? undefined,
    year: year ?? undefined,
  });
  const name = (code: string) => t(`indicator.${code}` as MessageKey);
  const columns: ColumnsType<Indicator> = [
    { key: 'name', title: t('compliance.target'), render: (_, i) => name(i.code) },
    {
      key: 'figures',
      title: '',
      width: 220,
      align: 'right',
      render: (_, i) => `${formatNumber(i.numerator)} / ${formatNumber(i.denominator)}`,
    },
    { key: 'share', title: '%', width: 90, align: 'right', render: (_, i) => percent(i.share) },
    { key: 'target', title: t('compliance.target'), width: 90, align: 'right', render: (_, i) => percent(i.target) },
    {
      key: 'met',
      title: '',
      width: 100,
      render: (_, i) => (i.met == null ? '—' : i.met ? <Tag color="green">{t('compliance.met')}</Tag> : <Tag color="red">{t('compliance.notMet')}</Tag>),
    },
  ];
  return (
    <section aria-labelledby="compliance-title">
      <div className="page-header">
        <Typography.Title level={2} id="compliance-title">
          {t('compliance.title')}
        </Typography.Title>
      </div>
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <UnionSelect allowClear placeholder={t('compliance.union')} aria-label={t('compliance.union')} style={{ width: 320 }} value={unionId} onChange={(v) => setUnionId(v ?? undefined)} />
          <DatePicker format={DATE_FORMAT} placeholder={t('compliance.asOf')} aria-label={t('compliance.asOf')} value={asOf} onChange={setAsOf} />
          <InputNumber min={2000} max={2100} placeholder={t('compliance.year')} aria-label={t('compliance.year')} value={year} onChange={setYear} />
        </Space>
        {isPending ? (
          <LoadingState />
        ) : isError ? (
          <ErrorState error={error} onRetry={() => void refetch()} />
        ) : (
          <>
            <Typography.Paragraph type="secondary">
              {formatDate(data.as_of)} · {t('compliance.termStart', { date: formatDate(data.term_start) })} · {t('compliance.year')} {data.year}
            </Typography.Paragraph>
            <Typography.Title level={4}>{t('compliance.total')}</Typography.Title>
            <Table<Indicator> rowKey="code" size="small" columns={columns} dataSource={data.total} pagination={false} data-testid="compliance-total" />
            <Suspense fallback={null}>
              <EChart
                label={t('compliance.chart')}
                testId="compliance-chart"
                height={260}
                option={{
                  tooltip: {},
                  grid: { left: 40, right: 16, top: 16, bottom: 80 },
                  xAxis: { type: 'category', data: data.total.map((i) => name(i.code)), axisLabel: { interval: 0, width: 120, overflow: 'break' } },
                  yAxis: { type: 'value', max: 100 },
                  series: [
                    { name: '%', type: 'bar', data: data.total.map((i) => (i.share == null ? 0 : Math.round(Number(i.share) * 1000) / 10)) },
                    { name: t('compliance.target'), type: 'line', data: data.total.map((i) => Math.round(Number(i.target) * 1000) / 10) },
                  ],
                }}
              />
            </Suspense>
            <Typography.Title level={4}>{t('compliance.byChild')}</Typography.Title>
            <Table
              rowKey="union_id"
              size="small"
              pagination={false}
              scroll={{ x: 1000 }}
              dataSource={data.children}
              columns={[
                { key: 'union', title: t('compliance.union'), render: (_, c) => (c.own ? `${c.union_name} ${t('compliance.own')}` : c.union_name) },
                ...data.total.map((ind, n) => ({
                  key: ind.code,
                  title: name(ind.code),
                  width: 150,
                  align: 'right' as const,
                  render: (_: unknown, c: (typeof data.children)[number]) => {
                    const i = c.indicators[n];
                    return i.code === 'training_spend' ? percent(i.share) : `${formatNumber(i.numerator)}/${formatNumber(i.denominator)} (${percent(i.share)})`;
                  },
                })),
              ]}
            />
          </>
        )}
      </Card>
    </section>
  );
}
