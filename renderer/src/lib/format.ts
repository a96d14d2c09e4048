/** Number and time formatting for display. One locale, so numbers look the same everywhere. */
import { MNIST_TEST_COUNT } from '../../../common/mnist';

const LOCALE = 'en-US';
const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

/** 10000 → "10,000". */
export function formatCount(value: number): string {
  return integer.format(value);
}

/** 0.9743 → "97.4 %" (fraction in, percent out). */
export function formatPercent(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** A loss value with 4 significant digits. */
export function formatLoss(value: number): string {
  return Number.isFinite(value) ? value.toPrecision(4) : '—';
}

/** 65_000 ms → "1:05"; 3_725_000 ms → "1:02:05". Negative or non-finite → "—". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** An ISO date → "26 Nov 2025, 15:22" in local time (or the input if unparseable). */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(LOCALE, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A learning rate or other small number without float noise: 0.001 → "0.001", 1e-5 → "1e-5". */
export function formatNumber(value: number): string {
  if (value !== 0 && Math.abs(value) < 1e-4) return value.toExponential();
  return String(Number(value.toPrecision(6)));
}

/** "on all 10,000 test images" or, for a limited evaluation, "on 500 test images". */
export function testCountPhrase(count: number): string {
  return count === MNIST_TEST_COUNT ? 'on all 10,000 test images' : `on ${formatCount(count)} test images`;
}

/** A rough duration for an estimate: "under a minute", "12 min", "2 h 5 min". */
export function formatApproxDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'under a minute';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
