// Time-series line charts on uPlot, coloured from the theme's CSS variables, resized with
// their container, redrawn when the theme changes.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom';

export interface SeriesSpec {
  label: string;
  /** index into the theme palette (--c1..--c8); defaults to the series position */
  color?: number;
  fill?: boolean;
  /** false: a null value leaves a gap instead of a line across it (default true) */
  spanGaps?: boolean;
  /** draw a dot at each value, so a value between two gaps is seen (default false) */
  points?: boolean;
}

export interface ChartSpec {
  title: string;
  series: SeriesSpec[];
  /** y-axis and legend formatting */
  format: (v: number) => string;
  height?: number;
}

export interface Chart {
  el: HTMLElement;
  setData(xs: number[], ys: (number | null)[][]): void;
  destroy(): void;
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** Adds alpha to a #rrggbb colour. */
function alpha(color: string, a: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
}

export function timeChart(spec: ChartSpec): Chart {
  const plotEl = h('div', { class: 'chart-plot' });
  const el = h('figure', { class: 'chart' }, h('figcaption', null, spec.title), plotEl);
  let plot: uPlot | null = null;
  let data: uPlot.AlignedData = [[], ...spec.series.map(() => [])];
  const height = spec.height ?? 220;

  const build = () => {
    plot?.destroy();
    const axis = css('--muted');
    const grid = css('--grid');
    const width = Math.max(240, plotEl.clientWidth || el.clientWidth || 600);
    const opts: uPlot.Options = {
      width,
      height,
      scales: { x: { time: true } },
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: 'time' },
        ...spec.series.map((s, i) => {
          const color = css(`--c${(s.color ?? i) % 8 + 1}`);
          return {
            label: s.label,
            stroke: color,
            width: 2,
            fill: s.fill ? alpha(color, 0.12) : undefined,
            spanGaps: s.spanGaps ?? true,
            points: { show: s.points ?? false },
            value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : spec.format(v)),
          } satisfies uPlot.Series;
        }),
      ],
      axes: [
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
        {
          stroke: axis,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid, width: 1 },
          size: 64,
          values: (_u, splits) => splits.map((v) => spec.format(v)),
        },
      ],
    };
    plot = new uPlot(opts, data, plotEl);
  };

  const resize = new ResizeObserver(() => {
    if (!plot) return;
    const w = Math.max(240, plotEl.clientWidth);
    if (Math.abs(w - plot.width) > 2) plot.setSize({ width: w, height });
  });
  resize.observe(plotEl);
  const onTheme = () => build();
  window.addEventListener('themechange', onTheme);
  // Built on first data, once the element is in the document and has a width.
  return {
    el,
    setData(xs, ys) {
      data = [xs, ...ys] as uPlot.AlignedData;
      // The values drawn per series (nulls are not), for tests that hold a chart to its source.
      el.dataset.points = ys.map((y) => y.filter((v) => v !== null && v !== undefined).length).join(',');
      if (!plot) build();
      else plot.setData(data);
    },
    destroy() {
      resize.disconnect();
      window.removeEventListener('themechange', onTheme);
      plot?.destroy();
      plot = null;
    },
  };
}
