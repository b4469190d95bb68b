/**
 * One monitored condition with hysteresis and an optional qualifying time: it becomes an event
 * when its start condition has held (without meeting the end condition) for `qualifyMs`; the
 * event is then dated back to when the condition began, and ends when the end condition is met.
 * The extreme value follows the most severe value seen (highest or lowest).
 */
import type { MeterEventRecord } from '../snapshot.js';
import type { EventKindName } from './event-kind.js';
import type { EventLog } from './event-log.js';

export class ConditionTracker {
  private since: number | undefined;
  private extreme = 0;
  private record: MeterEventRecord | undefined;

  constructor(
    readonly kind: EventKindName,
    readonly phase: number,
    /** true: the extreme is the highest value; false: the lowest. */
    private readonly extremeIsHighest: boolean,
    private readonly qualifyMs = 0,
  ) {}

  get active(): boolean {
    return this.record !== undefined;
  }

  /**
   * When a condition that holds but has not yet held for its qualifying time becomes an event
   * (the first update at or after it logs the record); Infinity when none is pending.
   */
  get qualifiesAtMs(): number {
    return this.since !== undefined && this.record === undefined ? this.since + this.qualifyMs : Number.POSITIVE_INFINITY;
  }

  update(log: EventLog, nowMs: number, starts: boolean, ends: boolean, value: number): void {
    if (this.since === undefined) {
      if (!starts || ends) return;
      this.since = nowMs;
      this.extreme = value;
    } else if (ends) {
      if (this.record !== undefined) log.end(this.record, nowMs);
      this.since = undefined;
      this.record = undefined;
      return;
    } else if (this.extremeIsHighest ? value > this.extreme : value < this.extreme) {
      this.extreme = value;
    }
    if (this.record === undefined && nowMs - this.since >= this.qualifyMs) {
      this.record = log.start(this.kind, this.phase, this.since, this.extreme);
    } else if (this.record !== undefined) {
      this.record.extremeValue = this.extreme;
    }
  }

  /** Forget the condition (the meter lost power: its log closes open events itself). */
  clear(): void {
    this.since = undefined;
    this.record = undefined;
  }
}
