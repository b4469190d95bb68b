/**
 * A meter's monitored conditions, each with hysteresis and an optional qualifying time: one becomes
 * an event when its start condition has held (without meeting the end condition) for its
 * `qualifyMs`; the event is then dated back to when the condition began, and ends when the end
 * condition is met. The extreme value follows the most severe value seen (highest or lowest).
 *
 * The state of every condition lives in one Float64Array (when it began, its extreme), and the
 * open records in an array made when the first one opens: a fleet of 100,000 meters holds 18
 * conditions each, which as objects (with their boxed numbers) cost ~2 KB a meter; so ~0.4 KB.
 */
import type { MeterEventRecord } from '../snapshot.js';
import type { EventKindName } from './event-kind.js';
import type { EventLog } from './event-log.js';

/** What a condition is (shared by every meter). */
export interface ConditionSpec {
  readonly kind: EventKindName;
  /** 0 = whole meter, 1..3 = phase. */
  readonly phase: number;
  /** true: the extreme is the highest value; false: the lowest. */
  readonly extremeIsHighest: boolean;
  readonly qualifyMs: number;
}

export class ConditionTable {
  /** [since_0, extreme_0, since_1, extreme_1, ...]; since is NaN while the condition does not hold. */
  private readonly state: Float64Array;
  /** The open record of each condition; undefined until one first opens. */
  private records: (MeterEventRecord | undefined)[] | undefined;

  constructor(private readonly specs: readonly ConditionSpec[]) {
    this.state = new Float64Array(2 * specs.length);
    for (let i = 0; i < specs.length; i += 1) this.state[2 * i] = Number.NaN;
  }

  active(i: number): boolean {
    return this.records?.[i] !== undefined;
  }

  /**
   * The earliest time a condition that holds but has not yet held for its qualifying time becomes
   * an event (the first update at or after it logs the record); Infinity when none is pending.
   */
  earliestQualifyingMs(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.specs.length; i += 1) {
      const since = this.state[2 * i] ?? Number.NaN;
      if (Number.isNaN(since) || this.active(i)) continue;
      earliest = Math.min(earliest, since + (this.specs[i]?.qualifyMs ?? 0));
    }
    return earliest;
  }

  update(i: number, log: EventLog, nowMs: number, starts: boolean, ends: boolean, value: number): void {
    const spec = this.specs[i];
    if (spec === undefined) throw new RangeError(`no condition ${i}`);
    const state = this.state;
    let since = state[2 * i] ?? Number.NaN;
    let extreme = state[2 * i + 1] ?? 0;
    if (Number.isNaN(since)) {
      if (!starts || ends) return;
      since = nowMs;
      extreme = value;
      state[2 * i] = since;
    } else if (ends) {
      const record = this.records?.[i];
      if (record !== undefined && this.records !== undefined) {
        log.end(record, nowMs);
        this.records[i] = undefined;
      }
      state[2 * i] = Number.NaN;
      return;
    } else if (spec.extremeIsHighest ? value > extreme : value < extreme) {
      extreme = value;
    }
    state[2 * i + 1] = extreme;
    const record = this.records?.[i];
    if (record === undefined && nowMs - since >= spec.qualifyMs) {
      this.records ??= new Array<MeterEventRecord | undefined>(this.specs.length).fill(undefined);
      this.records[i] = log.start(spec.kind, spec.phase, since, extreme);
    } else if (record !== undefined) {
      record.extremeValue = extreme;
    }
  }

  /** Forget every condition (the meter lost power: its log closes open events itself). */
  clear(): void {
    for (let i = 0; i < this.specs.length; i += 1) this.state[2 * i] = Number.NaN;
    this.records = undefined;
  }
}
