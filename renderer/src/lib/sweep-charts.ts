/**
 * The sweep's Chart.js pictures: one hyperparameter against accuracy (a scatter) and every
 * configuration's validation curve overlaid (mean line, ± std band). They build on charts.ts's
 * setup and register only the extra pieces they need (the scatter controller, the log axis, the
 * filler for the bands), so the bundle still carries no other chart types. Each attachment
 * builds its chart once per data: sweep data changes a few times per trial, not per frame.
 */
import { Chart, Filler, LogarithmicScale, ScatterController, type ChartConfiguration, type ChartDataset, type TooltipItem } from 'chart.js';
import type { Attachment } from 'svelte/attachments';
import { createChart, PALETTE, percentTick, shortLabel, themeColours } from './charts';
import { formatNumber, formatPercent } from './format';
import { shadeColour } from './parallel';
import type { XY } from './series';
import type { ConfigCurve, ScatterData } from './sweep-curves';

Chart.register(ScatterController, LogarithmicScale, Filler);

/** Up to this many distinct values, a numeric axis ticks at exactly them. */
const MAX_VALUE_TICKS = 8;

/** Above this many configurations a legend would crowd out the curves: tooltips and the table name them instead. */
export const MAX_LEGEND_ENTRIES = 4;

/**
 * Attachment: `data`'s points, coloured by accuracy as in the parallel-coordinates plot, the
 * best configuration's larger. A choice's categories sit at 0, 1, … on a linear axis labelled
 * with their names, so that its seeds can be spread a little around them.
 */
export function scatterChart(data: ScatterData, xLabel: string, bestConfigIndex: number | null): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const { text, grid } = themeColours();
    const ys = data.points.map((p) => p.y);
    const [low, high] = [Math.min(...ys), Math.max(...ys)];
    const shade = (y: number) => (high === low ? 1 : (y - low) / (high - low));
    const axis = data.axis;
    const distinct = [...new Set(data.points.map((p) => p.x))].sort((a, b) => a - b);
    const config: ChartConfiguration<'scatter', XY[]> = {
      type: 'scatter',
      data: {
        datasets: [
          {
            label: 'trials',
            data: data.points,
            backgroundColor: data.points.map((p) => shadeColour(shade(p.y))),
            borderColor: data.points.map((p) => (p.configIndex === bestConfigIndex ? text : 'transparent')),
            pointRadius: data.points.map((p) => (p.configIndex === bestConfigIndex ? 6 : 4)),
            pointHoverRadius: 7,
          },
        ],
      },
      options: {
        animation: false,
        parsing: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item: TooltipItem<'scatter'>) => {
                const point = data.points[item.dataIndex];
                const x = axis.type === 'category' ? axis.labels[Math.round(point.x)] : formatNumber(point.x);
                return `Trial ${point.trialIndex + 1}: ${xLabel} ${x}, ${formatPercent(point.y)}`;
              },
            },
          },
        },
        scales: {
          x:
            axis.type === 'category'
              ? {
                  type: 'linear',
                  min: -0.5,
                  max: axis.labels.length - 0.5,
                  // One tick per category, at 0, 1, …: the axis's own ticks would start at -0.5.
                  afterBuildTicks: (scale) => void (scale.ticks = axis.labels.map((_, value) => ({ value }))),
                  ticks: { color: text, callback: (v) => axis.labels[Number(v)] ?? '' },
                  title: { display: true, text: xLabel, color: text },
                  grid: { color: grid },
                }
              : {
                  type: axis.type,
                  ...(axis.type === 'linear' ? { grace: '6%' } : {}),
                  // A handful of tried values reads best as exactly those values, not as 9, 10, 11, …
                  ...(distinct.length <= MAX_VALUE_TICKS
                    ? { afterBuildTicks: (scale) => void (scale.ticks = distinct.map((value) => ({ value }))) }
                    : {}),
                  ticks: { color: text, callback: (v) => formatNumber(Number(v)) },
                  title: { display: true, text: `${xLabel}${axis.type === 'logarithmic' ? ' (log scale)' : ''}`, color: text },
                  grid: { color: grid },
                },
          y: {
            type: 'linear',
            grace: '5%',
            ticks: { color: text, callback: percentTick },
            title: { display: true, text: 'best validation accuracy', color: text },
            grid: { color: grid },
          },
        },
      },
    };
    const chart = new Chart(canvas, config);
    canvas.dataset.points = String(data.points.length);
    return () => chart.destroy();
  };
}

/** Attachment: each configuration's mean validation accuracy, its ± std band behind it; the best drawn thicker. */
export function curvesChart(curves: readonly ConfigCurve[], bestConfigIndex: number | null): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const datasets: ChartDataset<'line', XY[]>[] = curves.flatMap((curve, i) => {
      const colour = PALETTE[i % PALETTE.length];
      const isBest = curve.configIndex === bestConfigIndex;
      const mean: ChartDataset<'line', XY[]> = {
        label: shortLabel(`${curve.label}${isBest ? ' (best)' : ''}`, 48),
        data: curve.mean,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: isBest ? 3 : 1.5,
        pointRadius: curve.mean.length > 60 ? 0 : 2,
      };
      if (curve.seedCount < 2) return [mean];
      // The band: the upper edge filled down to the lower one (fill '-1': the dataset before it). Unlabelled, so legend and tooltip skip it.
      const edge = (data: XY[]): ChartDataset<'line', XY[]> => ({
        label: '',
        data,
        borderWidth: 0,
        pointRadius: 0,
        borderColor: 'transparent',
      });
      return [edge(curve.lower), { ...edge(curve.upper), fill: '-1', backgroundColor: `${colour}26` }, mean];
    });
    const { text, grid } = themeColours();
    const handle = createChart(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        parsing: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          legend: {
            display: curves.length <= MAX_LEGEND_ENTRIES,
            labels: { color: text, boxWidth: 12, boxHeight: 2, filter: (item) => item.text !== '' },
          },
          tooltip: {
            filter: (item) => item.dataset.label !== '',
            callbacks: {
              label: (item: TooltipItem<'line'>) => `${item.dataset.label ?? ''}: ${formatPercent(item.parsed.y ?? Number.NaN)}`,
            },
          },
        },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'iteration', color: text }, ticks: { color: text }, grid: { color: grid } },
          y: {
            type: 'linear',
            grace: '5%',
            title: { display: true, text: 'validation accuracy', color: text },
            ticks: { color: text, callback: percentTick },
            grid: { color: grid },
          },
        },
      },
    });
    canvas.dataset.curves = String(curves.length);
    return handle.destroy;
  };
}
