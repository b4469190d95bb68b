/**
 * A scenario over time: a base model plus scheduled changes. Times are seconds since the source's
 * origin (sample 0). The model at time t is
 *   base, then every permanent change with atS <= t in (atS, insertion) order,
 *   then every temporary change active at t (atS <= t < atS + durationS, repeating every everyS
 *   when given) in insertion order.
 * So a temporary event (a 0.5 s sag) ends by itself, whatever happened in between.
 * The model is piecewise constant; `breakpointsIn` lists where it can change.
 * The fundamental's phase is the exact integral of the frequency:
 *   cycles(t) = integral from 0 to t of f = nominal * t
 *             + A * P / (2 pi) * (1 - cos(2 pi t / P))          (drift A sin(2 pi t / P))
 *             + integral from 0 to t of offset(t') dt'           (piecewise constant)
 */
import { applyScenarioChange, changesFrequency, type ScenarioChange } from './scenario-change.js';
import type { SyntheticModel } from './model.js';

export interface ScheduledChange {
  readonly change: ScenarioChange;
  readonly atS: number;
  /** Infinity for a permanent change. */
  readonly durationS: number;
  /** Repeat period for temporary changes (undefined: once). */
  readonly everyS: number | undefined;
  readonly sequence: number;
}

const MAX_BREAKPOINTS_PER_QUERY = 100_000;
const MAX_REMEMBERED_MODELS = 64;
/** breakpointsIn's answer when nothing is scheduled (one shared array: asked on every window). */
const NO_BREAKPOINTS: readonly number[] = Object.freeze([]);

export class ScenarioTimeline {
  private readonly permanent: ScheduledChange[] = [];
  private readonly temporary: ScheduledChange[] = [];
  private sequence = 0;
  /**
   * Models built so far, by key (the sequences of the changes in force, in the order applied).
   * A key always gives the same model object, so a repeating event (a sag every 10 s) reuses
   * its model and consumers may cache per model object. Cleared by add/end and when full.
   */
  private readonly models = new Map<string, SyntheticModel>();
  /**
   * True when some scheduled change can move the frequency. Without one, every model's frequency
   * is the base's (the other changes keep the frequency object), which gives frequencyAt and
   * cyclesAt an exact shortcut that skips the model lookup.
   */
  private frequencyMoves = false;

  constructor(readonly base: SyntheticModel) {}

  /** Schedule a change at `atS`, for `durationS` (default permanent), repeating every `everyS` (temporary only). */
  add(change: ScenarioChange, atS: number, durationS = Number.POSITIVE_INFINITY, everyS?: number): ScheduledChange {
    if (!Number.isFinite(atS)) throw new RangeError(`change time must be finite, got ${atS}`);
    if (!(durationS > 0)) throw new RangeError(`change duration must be > 0, got ${durationS}`);
    if (everyS !== undefined) {
      if (!Number.isFinite(durationS)) throw new RangeError('a repeating change needs a finite duration');
      if (!(everyS > durationS)) throw new RangeError(`repeat period ${everyS} s must exceed the duration ${durationS} s`);
      if (changesFrequency(change)) throw new RangeError(`a '${change.kind}' change cannot repeat`);
    }
    // Validate now (throws on bad parameters) rather than when samples are generated.
    applyScenarioChange(this.base, change, this.base);
    const scheduled: ScheduledChange = { change, atS, durationS, everyS, sequence: this.sequence++ };
    if (Number.isFinite(durationS)) this.temporary.push(scheduled);
    else {
      this.permanent.push(scheduled);
      this.permanent.sort((x, y) => x.atS - y.atS || x.sequence - y.sequence);
    }
    this.changed();
    return scheduled;
  }

  /**
   * End a scheduled change at `atS` (earlier than planned; a control layer clearing a scenario).
   * A change that has not begun by then is dropped; one that has ends there. No effect on a change
   * already over, on a repeating one, or on one not from this timeline.
   */
  end(scheduled: ScheduledChange, atS: number): void {
    const list = Number.isFinite(scheduled.durationS) ? this.temporary : this.permanent;
    const index = list.indexOf(scheduled);
    if (index < 0 || scheduled.everyS !== undefined || atS >= scheduled.atS + scheduled.durationS) return;
    list.splice(index, 1);
    if (atS > scheduled.atS) {
      // Keep insertion order among temporary changes (they apply in that order).
      const at = this.temporary.findIndex((c) => c.sequence > scheduled.sequence);
      this.temporary.splice(at < 0 ? this.temporary.length : at, 0, { ...scheduled, durationS: atS - scheduled.atS });
    }
    this.changed();
  }

  /** After add/end: forget the models built (a key's changes may have changed). */
  private changed(): void {
    this.models.clear();
    this.frequencyMoves = [...this.permanent, ...this.temporary].some((c) => changesFrequency(c.change));
  }

  private static activeAt(c: ScheduledChange, t: number): boolean {
    if (t < c.atS) return false;
    if (c.everyS === undefined) return t < c.atS + c.durationS;
    return (t - c.atS) % c.everyS < c.durationS;
  }

  /** The model in force at time t (seconds since origin). */
  modelAt(t: number): SyntheticModel {
    // No change scheduled (a fleet's usual meter): the base, as the general path below would give.
    if (this.permanent.length === 0 && this.temporary.length === 0) return this.base;
    const applied: ScheduledChange[] = [];
    for (const c of this.permanent) if (c.atS <= t) applied.push(c);
    for (const c of this.temporary) if (ScenarioTimeline.activeAt(c, t)) applied.push(c);
    const key = applied.map((c) => c.sequence).join(',');
    const known = this.models.get(key);
    if (known !== undefined) return known;
    let model = this.base;
    for (const c of applied) model = applyScenarioChange(model, c.change, this.base);
    if (this.models.size >= MAX_REMEMBERED_MODELS) this.models.clear();
    this.models.set(key, model);
    return model;
  }

  /** Times strictly inside (from, to) where the model may change, ascending. */
  breakpointsIn(from: number, to: number): readonly number[] {
    if (this.permanent.length === 0 && this.temporary.length === 0) return NO_BREAKPOINTS;
    const points = new Set<number>();
    const consider = (t: number): void => {
      if (t > from && t < to) points.add(t);
    };
    for (const c of this.permanent) consider(c.atS);
    for (const c of this.temporary) {
      if (c.everyS === undefined) {
        consider(c.atS);
        consider(c.atS + c.durationS);
        continue;
      }
      let k = Math.max(0, Math.floor((from - c.atS - c.durationS) / c.everyS));
      for (; c.atS + k * c.everyS < to; k++) {
        consider(c.atS + k * c.everyS);
        consider(c.atS + k * c.everyS + c.durationS);
        if (points.size > MAX_BREAKPOINTS_PER_QUERY) throw new RangeError('too many scenario changes in one read');
      }
    }
    return [...points].sort((x, y) => x - y);
  }

  /** Instantaneous frequency at t (Hz). */
  frequencyAt(t: number): number {
    const f = this.frequencyMoves ? this.modelAt(t).frequency : this.base.frequency;
    const drift = this.base.frequency;
    return f.nominalHz + f.offsetHz + drift.driftAmplitudeHz * Math.sin((2 * Math.PI * t) / drift.driftPeriodS);
  }

  /** Cycles of the fundamental from time 0 to t: the exact integral of the frequency. */
  cyclesAt(t: number): number {
    const f = this.base.frequency;
    let cycles = f.nominalHz * t;
    if (f.driftAmplitudeHz !== 0) {
      cycles += ((f.driftAmplitudeHz * f.driftPeriodS) / (2 * Math.PI)) * (1 - Math.cos((2 * Math.PI * t) / f.driftPeriodS));
    }
    return cycles + this.offsetIntegral(t);
  }

  /** Integral from 0 to t of the frequency offset (cycles). */
  private offsetIntegral(t: number): number {
    const lo = Math.min(0, t);
    const hi = Math.max(0, t);
    if (!this.frequencyMoves) {
      // The general sum below with its single piece [lo, hi] (none when t = 0), same arithmetic.
      const sum = lo < hi ? 0 + this.base.frequency.offsetHz * (hi - lo) : 0;
      return t >= 0 ? sum : -sum;
    }
    const edges = new Set<number>([lo, hi]);
    for (const c of [...this.permanent, ...this.temporary]) {
      if (!changesFrequency(c.change)) continue;
      for (const e of [c.atS, c.atS + c.durationS]) if (e > lo && e < hi) edges.add(e);
    }
    const sorted = [...edges].sort((x, y) => x - y);
    let sum = 0;
    for (let k = 0; k + 1 < sorted.length; k++) {
      const a = sorted[k] ?? 0;
      const b = sorted[k + 1] ?? 0;
      sum += this.modelAt((a + b) / 2).frequency.offsetHz * (b - a);
    }
    return t >= 0 ? sum : -sum;
  }
}
