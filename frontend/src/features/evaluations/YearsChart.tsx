import { Suspense, lazy, useMemo } from 'react';
import { Skeleton } from 'antd';
import type { EChartOption } from '../../components/EChart';
import { useI18n } from '../../i18n/context';
import type { SummaryYears } from './api';

// ECharts is its own chunk, loaded only when a chart is drawn.
const EChart = lazy(() => import('../../components/EChart'));

// Best first: the levels' rank is the same across schemes (strong/excellent, good, ...).
const RANK_COLORS = ['#237804', '#73d13d', '#faad14', '#cf1322'];

type LevelNames = (year: number, code: string) => string;

/**
 * Level distribution per year for state and non-state units (share of the eligible units, one
 * stacked bar per sector), with the programme's strong targets as lines.
 */
export function YearsChart({ data, levelOrder, levelName }: { data: SummaryYears; levelOrder: (year: number) => string[]; levelName: LevelNames }) {
  const { t } = useI18n();
  const option = useMemo<EChartOption>(() => {
    const years = data.years.map((y) => String(y.year));
    const sectors = [
      { key: 'state' as const, label: t('results.state') },
      { key: 'non_state' as const, label: t('results.nonState') },
    ];
    const series: object[] = [];
    for (const s of sectors) {
      for (let rank = 0; rank < 4; rank += 1) {
        series.push({
          type: 'bar',
          stack: s.key,
          name: `${s.label} · ${rank + 1}`,
          itemStyle: { color: RANK_COLORS[rank], opacity: s.key === 'state' ? 1 : 0.7 },
          data: data.years.map((y) => {
            const row = y[s.key];
            const code = levelOrder(y.year)[rank];
            const n = code ? (row.levels[code] ?? 0) : 0;
            return {
              value: row.eligible ? Math.round((n / row.eligible) * 1000) / 10 : 0,
              level: code ? levelName(y.year, code) : '',
            };
          }),
        });
      }
    }
    const targetLine = (key: 'state' | 'non_state', label: string, color: string) => ({
      type: 'line',
      name: t('results.targetLine', { sector: label, share: Number(data.targets[key]) * 100 }),
      data: years.map(() => Number(data.targets[key]) * 100),
      symbol: 'none',
      lineStyle: { type: 'dashed', color },
      itemStyle: { color },
    });
    series.push(targetLine('state', t('results.state'), '#1677ff'), targetLine('non_state', t('results.nonState'), '#722ed1'));
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { seriesName: string; name: string; value: number; data: { level?: string } }) =>
          `${p.name} · ${p.seriesName.split(' · ')[0]}<br/>${p.data?.level ?? ''}: ${p.value}%`,
      },
      legend: { top: 0, data: series.filter((s) => (s as { type: string }).type === 'line').map((s) => (s as { name: string }).name) },
      grid: { left: 48, right: 16, top: 48, bottom: 32 },
      xAxis: { type: 'category', data: years },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series,
    };
  }, [data, levelOrder, levelName, t]);
  return (
    <Suspense fallback={<Skeleton active />}>
      <EChart option={option} label={t('results.chart')} testId="evaluation-years" height={340} />
    </Suspense>
  );
}
