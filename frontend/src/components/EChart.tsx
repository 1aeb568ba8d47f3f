import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the pieces the app draws: keeps this chunk a fraction of the full echarts build.
// The chart is labelled for screen readers by its container; the same figures are in a table.
echarts.use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

export type EChartOption = echarts.EChartsCoreOption;

interface Props {
  option: EChartOption;
  /** What the chart shows, for screen readers. */
  label: string;
  height?: number;
  onReady?: () => void;
}

/** A small ECharts wrapper: one instance per element, resized with its container. */
export default function EChart({ option, label, height = 320, onReady }: Props) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

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
    instance.setOption(option, true);
    if (onReady) instance.on('finished', onReady);
    return () => {
      if (onReady) instance.off('finished', onReady);
    };
  }, [option, onReady]);

  return <div ref={el} role="img" aria-label={label} data-testid="echart" style={{ width: '100%', height }} />;
}
