/**
 * Which windows a record holds: consecutive groups of `cycles` whole cycles between fundamental
 * zero crossings, 10 cycles at 50 Hz and 12 at 60 Hz (about 200 ms).
 */
import type { WindowBounds } from './window-measurement.js';

/**
 * Whole cycles per window for a system at `frequencyHz` (its nominal frequency when known, else
 * the measured one): 10 below 55 Hz (50 Hz systems), 12 from 55 Hz on (60 Hz systems), about
 * 200 ms either way. The sample path and the phasor path both call this, so they cut the same
 * windows at every frequency.
 *
 * Exactly 55 Hz takes 12 cycles: both windows miss 200 ms by the same 18.2 ms there (10 cycles
 * last 181.8 ms, 12 last 218.2 ms), so the tie goes to the nearer system by ratio: 55 Hz is
 * 8.3 % below 60 Hz but 10 % above 50 Hz (the ratio midpoint, sqrt(50 * 60) = 54.77 Hz, lies
 * below 55). It is also what the phasor path, the path `submeter serve` runs for synthetic
 * scenarios, has always done.
 */
export function cyclesPerWindowFor(frequencyHz: number): number {
  return frequencyHz >= 55 ? 12 : 10;
}

/** Median of `values` (sorted in place: a typed array sorts numerically without a comparator). */
function medianInPlace(values: Float64Array): number {
  const sorted = values.sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median cycle length (samples) of a list of crossings, or undefined with fewer than two. */
export function medianCycleSamples(crossings: Float64Array): number | undefined {
  if (crossings.length < 2) return undefined;
  const gaps = new Float64Array(crossings.length - 1);
  for (let k = 1; k < crossings.length; k++) gaps[k - 1] = crossings[k] - crossings[k - 1];
  return medianInPlace(gaps);
}

/**
 * A run of cycles good enough to stand alone as a partial window: at least one cycle, every
 * cycle within 3 % of the run's mean (a power-system fundamental; filtered noise is not).
 */
function isSteadyRun(crossings: Float64Array, from: number, to: number): boolean {
  const cycles = to - from;
  if (cycles < 1) return false;
  const mean = (crossings[to] - crossings[from]) / cycles;
  for (let k = from + 1; k <= to; k++) {
    if (Math.abs(crossings[k] - crossings[k - 1] - mean) > 0.03 * mean) return false;
  }
  return true;
}

/**
 * Consecutive full windows of `cycles` cycles. A cycle more than 20 % shorter or 25 % longer than
 * the median (a missed or spurious crossing, a gap in the record, a large phase jump) ends the
 * current run; the next window starts after it. When no full window fits, the longest run of
 * steady whole cycles is returned as one partial window.
 */
export function planWindows(crossings: Float64Array, cycles: number): WindowBounds[] {
  const typical = medianCycleSamples(crossings);
  if (typical === undefined) return [];
  const windows: WindowBounds[] = [];
  let runStart = 0;
  let bestRun: { from: number; to: number } | undefined;
  for (let k = 1; k < crossings.length; k++) {
    const gap = crossings[k] - crossings[k - 1];
    const regular = gap > 0.8 * typical && gap < 1.25 * typical;
    if (!regular) {
      runStart = k;
      continue;
    }
    if (bestRun === undefined || k - runStart > bestRun.to - bestRun.from) bestRun = { from: runStart, to: k };
    if (k - runStart === cycles) {
      windows.push({ start: crossings[runStart], end: crossings[k], cycles, partial: false });
      runStart = k;
    }
  }
  if (windows.length === 0 && bestRun !== undefined && isSteadyRun(crossings, bestRun.from, bestRun.to)) {
    windows.push({
      start: crossings[bestRun.from],
      end: crossings[bestRun.to],
      cycles: bestRun.to - bestRun.from,
      partial: true,
    });
  }
  return windows;
}
