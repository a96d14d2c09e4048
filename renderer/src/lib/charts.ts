/**
 * Chart.js setup for the training curves. Charts are created once per canvas and redrawn with
 * `update('none')` at most once per animation frame, however many points arrive; long runs stay
 * smooth thanks to LTTB decimation (which needs `parsing: false` and a linear x axis). Loss may be
 * drawn on a log axis, where the late, small improvements stay visible.
 * Chart.js styles its canvas through CSSOM, which the strict CSP allows.
 */
import {
  Chart,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LogarithmicScale,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartDataset,
  type ScriptableContext,
  type TooltipItem,
} from 'chart.js';
import type { Attachment } from 'svelte/attachments';
import type { CurveSet, LiveSeries, XY } from './series';

// Register only what we use, so the bundle carries no other chart types.
Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip, Decimation);

/** A line chart of {x, y} points. */
export type LineChart = Chart<'line', XY[]>;
type LineConfig = ChartConfiguration<'line', XY[]>;
type LineDataset = ChartDataset<'line', XY[]>;

/** Series colours, distinguishable for the common colour-vision deficiencies (Okabe–Ito). */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#8c6d1f', '#666666'];
const TRAIN = PALETTE[0];
const VALIDATION = PALETTE[1];

/**
 * Reads the theme's chart colours from CSS custom properties (so dark mode applies); `background`
 * is the card's, which a saved picture is drawn on (a canvas itself is transparent).
 */
export function themeColours(): { text: string; grid: string; background: string } {
  const style = getComputedStyle(document.documentElement);
  return {
    text: style.getPropertyValue('--chart-text').trim() || '#555',
    grid: style.getPropertyValue('--chart-grid').trim() || '#e5e5e5',
    background: style.getPropertyValue('--surface').trim() || '#fff',
  };
}

/** An accuracy axis's tick: 0.95 → "95 %". */
export const percentTick = (value: number | string): string => `${Math.round(Number(value) * 100)} %`;

/** Options every chart shares: no animation, decimated, linear iteration axis; `isLog` puts y on a log axis. */
function baseOptions(yTitle: string, isPercent: boolean, isLog = false): LineConfig['options'] {
  const { text, grid } = themeColours();
  return {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    plugins: {
      decimation: { enabled: true, algorithm: 'lttb', samples: 400 },
      legend: { labels: { color: text, boxWidth: 12, boxHeight: 2 } },
      tooltip: {
        callbacks: {
          label: (item: TooltipItem<'line'>) =>
            `${item.dataset.label ?? ''}: ${isPercent ? `${(item.parsed.y! * 100).toFixed(1)} %` : item.parsed.y!.toPrecision(4)}`,
        },
      },
    },
    scales: {
      x: { type: 'linear', title: { display: true, text: 'iteration', color: text }, ticks: { color: text }, grid: { color: grid } },
      y: isLog
        ? {
            type: 'logarithmic',
            title: { display: true, text: `${yTitle} (log scale)`, color: text },
            ticks: { color: text },
            grid: { color: grid },
          }
        : {
            type: 'linear',
            title: { display: true, text: yTitle, color: text },
            ticks: { color: text, ...(isPercent ? { callback: percentTick } : {}) },
            grid: { color: grid },
            ...(isPercent ? { min: 0, max: 1 } : { beginAtZero: true }),
          },
    },
  };
}

const raw = (label: string, data: XY[], colour: string): LineDataset => ({
  label,
  data,
  borderColor: `${colour}55`,
  backgroundColor: `${colour}55`,
  borderWidth: 1,
  pointRadius: 0,
});
const smoothed = (label: string, data: XY[], colour: string): LineDataset => ({
  label,
  data,
  borderColor: colour,
  backgroundColor: colour,
  borderWidth: 2,
  pointRadius: 0,
});
/** Above this many points, markers would merge into a band: draw the line alone. */
const MAX_MARKED_POINTS = 120;
const points = (label: string, data: XY[], colour: string, radius = 3): LineDataset => ({
  label,
  data,
  borderColor: colour,
  backgroundColor: colour,
  borderWidth: 1.5,
  pointRadius: (ctx: ScriptableContext<'line'>) => (ctx.dataset.data.length > MAX_MARKED_POINTS ? 0 : radius),
  pointHoverRadius: 5,
});

/** Which of a run's two charts. */
export type TrainingMetric = 'loss' | 'accuracy';

/** The datasets of one metric chart, in order: raw batch values, smoothed, validation. */
function trainingData(metric: TrainingMetric, c: CurveSet): XY[][] {
  return metric === 'loss' ? [c.loss, c.lossSmoothed, c.validationLoss] : [c.accuracy, c.accuracySmoothed, c.validationAccuracy];
}

function trainingConfig(metric: TrainingMetric, curves: CurveSet, isLog: boolean): LineConfig {
  const [batch, ema, validation] = trainingData(metric, curves);
  const name = metric === 'loss' ? 'loss' : 'accuracy';
  return {
    type: 'line',
    data: {
      datasets: [
        raw(`batch ${name}`, batch, TRAIN),
        smoothed(`batch ${name}, smoothed`, ema, TRAIN),
        points(`validation ${name}`, validation, VALIDATION),
      ],
    },
    options: baseOptions(name, metric === 'accuracy', isLog),
  };
}

/**
 * Creates a chart and returns a redraw function that batches to one `update('none')` per
 * animation frame; `beforeUpdate` runs in that frame (e.g. to point datasets at new arrays).
 */
export function createChart(
  canvas: HTMLCanvasElement,
  config: LineConfig,
  beforeUpdate: (chart: LineChart) => void = () => {},
): { chart: LineChart; requestUpdate: () => void; destroy: () => void } {
  const chart: LineChart = new Chart(canvas, config);
  let frame = 0;
  return {
    chart,
    requestUpdate() {
      if (frame !== 0) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        beforeUpdate(chart);
        chart.update('none');
      });
    },
    destroy() {
      cancelAnimationFrame(frame);
      chart.destroy();
    },
  };
}

/**
 * Attachment: a live loss or accuracy chart following `series`, on a log y axis when `isLog`.
 * The series' arrays are given to Chart.js directly (no copies); after `reset`/`replace` (or a
 * new smoothing) the datasets are re-pointed at the new arrays in the next frame.
 */
export function trainingChart(series: LiveSeries, metric: TrainingMetric, isLog = false): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const handle = createChart(canvas, trainingConfig(metric, series.curves, isLog), (chart) => {
      const data = trainingData(metric, series.curves);
      chart.data.datasets.forEach((dataset, i) => (dataset.data = data[i]));
      // What the chart holds, readable without Chart.js: for tests, and for anyone inspecting the page.
      canvas.dataset.firstIteration = String(data[0][0]?.x ?? '');
      canvas.dataset.validationPoints = String(data[2].length);
    });
    canvas.dataset.yScale = isLog ? 'log' : 'linear';
    const unsubscribe = series.subscribe(handle.requestUpdate);
    return () => {
      unsubscribe();
      handle.destroy();
    };
  };
}

/** One run in the comparison chart. */
export interface CompareRun {
  label: string;
  curves: CurveSet;
  /** Which PALETTE colour: the caller keeps it fixed per run, so unticking one run recolours no other. */
  colourIndex: number;
}

/** Legend and tooltip labels stay one line: a long run name is cut (its full name is in the table). */
const MAX_LABEL_CHARS = 32;

/**
 * `text` in at most `max` characters, cut in the middle: run names often share a start
 * ("LSTM 128, lr 0.001…") and differ at the end, so both ends stay.
 */
export function shortLabel(text: string, max = MAX_LABEL_CHARS): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  return `${text.slice(0, head).trimEnd()}…${text.slice(text.length - (max - 1 - head)).trimStart()}`;
}

/**
 * Attachment: several runs overlaid: smoothed training loss (solid, left axis, a log one when
 * `isLossLog`) and validation accuracy (dashed, right axis), one colour per run.
 */
export function compareChart(runs: readonly CompareRun[], isLossLog = false): Attachment<HTMLCanvasElement> {
  return (canvas) => {
    const datasets: LineDataset[] = runs.flatMap((run) => {
      const colour = PALETTE[run.colourIndex % PALETTE.length];
      const label = shortLabel(run.label);
      return [
        { ...smoothed(`${label}: training loss`, run.curves.lossSmoothed, colour), yAxisID: 'y' },
        { ...points(`${label}: validation accuracy`, run.curves.validationAccuracy, colour, 2), yAxisID: 'accuracy', borderDash: [6, 4] },
      ];
    });
    const options = baseOptions('training loss (smoothed)', false, isLossLog);
    const { text } = themeColours();
    options!.scales!.accuracy = {
      type: 'linear',
      position: 'right',
      min: 0,
      max: 1,
      title: { display: true, text: 'validation accuracy', color: text },
      ticks: { color: text, callback: percentTick },
      grid: { drawOnChartArea: false },
    };
    options!.plugins!.tooltip = {
      callbacks: {
        label: (item: TooltipItem<'line'>) =>
          item.dataset.yAxisID === 'accuracy'
            ? `${item.dataset.label ?? ''}: ${(item.parsed.y! * 100).toFixed(1)} %`
            : `${item.dataset.label ?? ''}: ${item.parsed.y!.toPrecision(4)}`,
      },
    };
    const handle = createChart(canvas, { type: 'line', data: { datasets }, options });
    return handle.destroy;
  };
}
