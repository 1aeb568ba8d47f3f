import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';

// Only the pieces the app draws: keeps this chunk a fraction of the full echarts build.
// The chart is labelled for screen readers by its container; the same figures are in a table.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type EChartOption = echarts.EChartsCoreOption;

interface Props {
  option: EChartOption;
  /** What the chart shows, for screen readers. */
  label: string;
  height?: number;
  /** Tells tests (and the e2e timing) which chart this is. */
  testId?: string;
  onReady?: () => void;
  /** A bar (or, with `triggerEvent` on its axis, an axis label) clicked: its category index. */
  onPick?: (index: number) => void;
}

/**
 * A small ECharts wrapper: one instance per element, resized with its container. The element
 * carries data-drawn="true" once ECharts has finished rendering the current option.
 */
export default function EChart({ option, label, height = 320, testId, onReady, onPick }: Props) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const [drawn, setDrawn] = useState(false);

  useEffect(() => {
    if (!el.current) return;
    const instance = echarts.init(el.current, undefined, { renderer: 'svg' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    const finished = () => {
      setDrawn(true);
      onReady?.();
    };
    instance.on('finished', finished);
    // No grow-in animation: figures are there at once (and 'finished' does not wait a second).
    instance.setOption({ animation: false, ...option }, true);
    return () => {
      // On unmount the first effect may already have disposed the instance.
      if (!instance.isDisposed()) instance.off('finished', finished);
    };
  }, [option, onReady]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !onPick) return;
    const clicked = (p: { componentType?: string; dataIndex?: number; value?: unknown; tickIndex?: number }) => {
      if (p.componentType === 'series' && p.dataIndex !== undefined) onPick(p.dataIndex);
      else if (p.tickIndex !== undefined) onPick(p.tickIndex);
    };
    instance.on('click', clicked);
    return () => {
      if (!instance.isDisposed()) instance.off('click', clicked);
    };
  }, [onPick]);

  return (
    <div
      ref={el}
      role="img"
      aria-label={label}
      data-testid="echart"
      data-chart={testId}
      data-drawn={drawn ? 'true' : 'false'}
      style={{ width: '100%', height }}
    />
  );
}
