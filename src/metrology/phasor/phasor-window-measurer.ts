/**
 * measureTimelineWindow with per-model caching; its results are identical (bit for bit) to
 * measureTimelineWindow's on the same timeline.
 *
 * Why this is exact: a window's electrical values depend only on the models in force during it
 * and on their shares of the window. A window wholly under one model (the usual case) has one
 * piece of weight exactly 1, so its electrical parts are a function of that model alone: they are
 * computed once per model and reused; only the timing (Newton's window duration, and frequency =
 * cycles / duration, which frequency drift moves every window) is computed per call. A window cut
 * by a scheduled change (sag start or end) is accumulated per call from the cached spectra.
 *
 * Invalidation: models are immutable and the timeline builds a new model object whenever the set
 * of changes in force changes (apply, end, a scheduled start or end), so the cache is keyed by the
 * model object (a WeakMap: models the timeline no longer holds are collected) and never holds a
 * stale entry.
 *
 * Ownership: every call returns a fresh measurement object, but a window wholly under one model
 * shares its phases, line voltages and totals (frozen: a write throws) with every other window
 * under that model, and all windows share the harmonic magnitude and phase Float64Arrays of their
 * model. Nothing shared is written after it is built; consumers must treat measurements as
 * read-only (the meter does: it keeps the last measurement and scales it into new objects). A
 * fleet of thousands of meters ticking every 200 ms makes far less garbage this way.
 */
import type { SyntheticModel } from '../../waveform/synthetic/model.js';
import type { ScenarioTimeline } from '../../waveform/synthetic/scenario-timeline.js';
import type { WindowMeasurement } from '../measurement.js';
import { cyclesPerWindowFor } from '../window-plan.js';
import { assembleMeasurement, freezeParts } from './assemble-measurement.js';
import type { ElectricalParts } from './electrical-parts.js';
import { modelSpectra, ordersOf, type ModelSpectra } from './model-spectra.js';
import { windowDuration } from './window-duration.js';
import { packParts, unpackParts, type CompactParts } from './compact-parts.js';
import { piecesElectricalParts, piecesOf, windowSize } from './window-pieces.js';

/** What PhasorWindowMeasurer keeps per model. */
interface ModelEntry {
  /** ordersOf(model). */
  orders: number;
  /**
   * Its spectra (size orders), while needed: dropped once the steady parts are built (a fleet
   * meter rarely sees a window cut by a change), rebuilt for the first cut window that needs them.
   */
  spectra: ModelSpectra | undefined;
  readonly model: SyntheticModel;
  readonly size: number;
  /** The electrical parts of a window lying wholly under this model, packed (built on first use, kept). */
  steady: CompactParts | undefined;
  /**
   * Those parts unpacked, with frozen phases, line voltages and totals shared by every such window
   * (built from `steady` on first use, kept with the model: about 2.7 KB of objects whose harmonic
   * arrays are views into `steady`). They were once dropped for meters nobody had read lately and
   * unpacked again on their next read: under polls spread over 100,000 meters that made 2.5 KB of
   * objects per read that outlived the young generation, and a read cost ~45 us instead of ~26.
   */
  steadyShared: ElectricalParts | undefined;
}

export class PhasorWindowMeasurer {
  private readonly cycles: number;
  private readonly baseSize: number;
  private readonly entries = new WeakMap<SyntheticModel, ModelEntry>();

  constructor(readonly timeline: ScenarioTimeline) {
    this.cycles = cyclesPerWindowFor(timeline.base.frequency.nominalHz);
    this.baseSize = ordersOf(timeline.base);
  }

  /** The measurement of the window starting `t0` s after the origin, reported at `startTimeS`. */
  measure(t0: number, startTimeS: number): WindowMeasurement {
    const duration = windowDuration(this.timeline, t0, this.cycles);
    const end = t0 + duration;
    if (this.timeline.breakpointsIn(t0, end).length === 0) {
      // One piece, [t0, end) under the model at its middle (what piecesOf gives), without the arrays.
      const model = this.timeline.modelAt((t0 + end) / 2);
      const own = this.entry(model, undefined);
      const size = Math.max(this.baseSize, own.orders);
      const entry = own.size === size ? own : this.entry(model, size);
      return assembleMeasurement(this.steadyParts(entry, t0, end), startTimeS, duration, this.cycles);
    }
    // Cut by a change (breakpoints lie strictly inside): two pieces or more, accumulated per call.
    const pieces = piecesOf(this.timeline, t0, end);
    const size = windowSize(this.baseSize, pieces, (model) => this.entry(model, undefined).orders);
    const parts = piecesElectricalParts(pieces, size, (model, windowOrders) => spectraOf(this.entry(model, windowOrders)));
    return assembleMeasurement(parts, startTimeS, duration, this.cycles);
  }

  /** The shared parts of a window [t0, end) wholly under the entry's model (built on first use, then kept). */
  private steadyParts(entry: ModelEntry, t0: number, end: number): ElectricalParts {
    let shared = entry.steadyShared;
    if (shared === undefined) {
      if (entry.steady === undefined) {
        entry.steady = packParts(piecesElectricalParts([{ model: entry.model, from: t0, to: end }], entry.size, () => spectraOf(entry)));
        entry.spectra = undefined;
      }
      // Always from the packed form (the same doubles), so every steady window's parts are
      // objects of one shape, frozen where they are (nobody else holds them).
      shared = unpackParts(entry.steady);
      freezeParts(shared);
      entry.steadyShared = shared;
    }
    return shared;
  }

  /**
   * The cached constants of `model`, with spectra of `size` orders (default: the model's own
   * window size). A window whose other piece needs more orders gets wider spectra, not cached.
   */
  private entry(model: SyntheticModel, size: number | undefined): ModelEntry {
    let own = this.entries.get(model);
    if (own === undefined) {
      const orders = ordersOf(model);
      const ownSize = Math.max(this.baseSize, orders);
      own = { orders, spectra: undefined, model, size: ownSize, steady: undefined, steadyShared: undefined };
      this.entries.set(model, own);
    }
    if (size === undefined || own.size === size) return own;
    return { orders: own.orders, spectra: undefined, model, size, steady: undefined, steadyShared: undefined };
  }
}

/** The entry's spectra, built (again) when first needed. */
function spectraOf(entry: ModelEntry): ModelSpectra {
  return (entry.spectra ??= modelSpectra(entry.model, entry.size));
}
