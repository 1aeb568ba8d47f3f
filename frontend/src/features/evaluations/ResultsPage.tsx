import { ArrowUpOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Card, Col, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import { useCallback, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate, formatNumber } from '../../lib/format';
import { useSchemes, useSummary, useSummaryYears, type SummaryRow } from './api';
import { EvaluationTable } from './EvaluationTable';
import { formatShare, levelNameIn } from './labels';
import { YearsChart } from './YearsChart';

const FIRST_YEAR = 2018;

function SectorCard({ title, row, target }: { title: string; row: SummaryRow; target?: string }) {
  const { t } = useI18n();
  const share = row.strong_share == null ? null : Number(row.strong_share);
  const below = target != null && share != null && share < Number(target);
  return (
    <Card size="small">
      <Statistic
        title={title}
        value={formatShare(row.strong_share)}
        valueStyle={{ color: below ? '#cf1322' : share != null ? '#237804' : undefined }}
      />
      <div className="muted-small">
        {t('results.strong')}: {formatNumber(row.strong)} / {formatNumber(row.eligible)} · {t('results.ineligibleCount')}: {formatNumber(row.ineligible)}
        {target != null ? ` · ${t('results.target')}: ${formatShare(target)}` : ''}
      </div>
    </Card>
  );
}

export default function ResultsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const thisYear = new Date().getFullYear();
  const year = Number(params.get('year')) || thisYear - 1;
  const unionId = params.get('union_id') ?? undefined;
  // The way down, so "up one level" and the breadcrumb go back without another request.
  const [trail, setTrail] = useState<{ id: string; name: string }[]>([]);
  const [page, setPage] = useState({ page: 1, size: 20 });
  const summary = useSummary({ year, group_by: 'child', ...(unionId ? { union_id: unionId } : {}) });
  const years = useSummaryYears(unionId);
  const { data: schemes } = useSchemes();
  const levelName = useCallback((y: number, code: string) => levelNameIn(schemes, y, code), [schemes]);
  const levelOrder = useCallback(
    (y: number) => {
      const s = (schemes ?? [])
        .filter((x) => x.effective_from <= `${y}-12-31` && (!x.effective_to || x.effective_to >= `${y}-01-01`))
        .sort((a, b) => b.effective_from.localeCompare(a.effective_from))[0];
      return ((s?.definition.levels ?? []) as { code: string }[]).map((l) => l.code);
    },
    [schemes],
  );
  const go = (next: { year?: number; union?: { id: string; name: string } | null }) => {
    const p = new URLSearchParams(params);
    if (next.year) p.set('year', String(next.year));
    if (next.union === null) p.delete('union_id');
    else if (next.union) p.set('union_id', next.union.id);
    setParams(p);
    setPage({ page: 1, size: 20 });
  };
  const drill = (row: SummaryRow) => {
    setTrail((tr) => [...tr, { id: row.key, name: row.name }]);
    go({ union: { id: row.key, name: row.name } });
  };
  const up = () => {
    const rest = trail.slice(0, -1);
    setTrail(rest);
    go({ union: rest.length ? rest[rest.length - 1] : null });
  };
  const data = summary.data;
  const levelCodes = levelOrder(year);
  const columns: ColumnsType<SummaryRow> = [
    {
      key: 'name',
      title: t('evaluation.unit'),
      width: 300,
      fixed: 'left',
      render: (_, r) => (
        <Button type="link" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }} onClick={() => drill(r)}>
          {r.name}
        </Button>
      ),
    },
    { key: 'eligible', title: t('results.eligible'), align: 'right', width: 110, render: (_, r) => formatNumber(r.eligible) },
    { key: 'ineligible', title: t('results.ineligibleCount'), align: 'right', width: 120, render: (_, r) => formatNumber(r.ineligible) },
    { key: 'rated', title: t('results.rated'), align: 'right', width: 110, render: (_, r) => formatNumber(r.rated) },
    ...levelCodes.map((code) => ({
      key: `level-${code}`,
      title: levelName(year, code),
      align: 'right' as const,
      width: 120,
      render: (_: unknown, r: SummaryRow) => formatNumber(r.levels[code] ?? 0),
    })),
    { key: 'strong', title: t('results.strong'), align: 'right', width: 100, render: (_, r) => formatNumber(r.strong) },
    { key: 'share', title: t('results.strongShare'), align: 'right', width: 130, render: (_, r) => formatShare(r.strong_share) },
  ];
  const rootName = trail.length ? trail[trail.length - 1].name : undefined;
  return (
    <section aria-labelledby="results-title">
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[{ title: <Link to="/evaluations">{t('nav.evaluations')}</Link> }, { title: t('results.title') }]}
      />
      <div className="page-header">
        <Typography.Title level={2} id="results-title">
          {t('results.title')}
          {rootName ? ` · ${rootName}` : ''}
        </Typography.Title>
        <Space wrap>
          {trail.length ? (
            <Button icon={<ArrowUpOutlined />} onClick={up}>
              {t('results.back')}
            </Button>
          ) : null}
          <Select
            aria-label={t('results.year')}
            value={year}
            style={{ width: 120 }}
            onChange={(y: number) => go({ year: y })}
            options={Array.from({ length: thisYear - FIRST_YEAR + 1 }, (_, i) => thisYear - i).map((y) => ({ value: y, label: String(y) }))}
          />
        </Space>
      </div>
      {summary.isError ? (
        <ErrorState error={summary.error} onRetry={() => summary.refetch()} />
      ) : !data ? (
        <LoadingState />
      ) : (
        <>
          <Typography.Paragraph type="secondary">
            {t('results.asOf', { date: formatDate(data.as_of) })}{' '}
            <span data-testid="results-basis">
              {data.programme ? t('results.byProgramme', { number: data.programme.number, title: data.programme.title }) : t('results.bySchemes')}
            </span>
          </Typography.Paragraph>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }} data-testid="results-figures">
            <Col xs={24} md={8}>
              <SectorCard title={`${t('results.strongShare')} · ${t('results.state')}`} row={data.state} target={data.targets.state} />
            </Col>
            <Col xs={24} md={8}>
              <SectorCard title={`${t('results.strongShare')} · ${t('results.nonState')}`} row={data.non_state} target={data.targets.non_state} />
            </Col>
            <Col xs={24} md={8}>
              <SectorCard title={`${t('results.strongShare')} · ${t('results.all')}`} row={data.total} />
            </Col>
          </Row>
          <Card title={t('results.chartTitle')} style={{ marginBottom: 16 }}>
            {years.data ? <YearsChart data={years.data} levelOrder={levelOrder} levelName={levelName} /> : <LoadingState />}
          </Card>
          <Card title={t('results.byChild')} style={{ marginBottom: 16 }}>
            <Table<SummaryRow>
              rowKey="key"
              size="middle"
              data-testid="results-children"
              loading={summary.isFetching}
              dataSource={data.groups}
              columns={columns}
              pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
              scroll={{ x: 1300 }}
              locale={{ emptyText: <EmptyState description={t('results.noGroups')} /> }}
            />
          </Card>
        </>
      )}
      <Card title={t('results.units')}>
        <EvaluationTable
          query={{ year, ...(unionId ? { union_id: unionId } : {}), ...page }}
          onPage={(p, size) => setPage({ page: p, size })}
          empty={t('evaluation.noHistory')}
          testId="results-units"
        />
      </Card>
    </section>
  );
}
