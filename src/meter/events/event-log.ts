/**
 * The event log: a ring of the most recent events (at least 256) with a sequence number that
 * increases for the meter's whole life. An event with a duration is opened (endMs 0 while active)
 * and closed later; its extreme value is updated while it lasts.
 *
 * A listener (setListener) is told, synchronously, of every record when it is logged and again when
 * an open one ends (same sequence, endMs set): outputs learn of events as the meter records them,
 * without polling the log.
 */
import { RingBuffer } from '../ring-buffer.js';
import type { MeterEventRecord } from '../snapshot.js';
import type { EventKindName } from './event-kind.js';

export const EVENT_LOG_CAPACITY = 512;

export interface EventLogState {
  count: number;
  records: MeterEventRecord[];
}

/** Told of a record as logged (a copy): when it starts (or, for an instant or a span, once) and when an open one ends. */
export type EventListener = (record: MeterEventRecord) => void;

export class EventLog {
  private readonly ring = new RingBuffer<MeterEventRecord>(EVENT_LOG_CAPACITY);
  private count = 0;
  private readonly open = new Set<MeterEventRecord>();
  private listener: EventListener | undefined;

  /**
   * One listener (undefined: none). It is called while the meter records, so it must not call
   * back into the meter: it should only take the record (a copy) and queue it.
   */
  setListener(listener: EventListener | undefined): void {
    this.listener = listener;
  }

  /** Events ever logged (the newest has this sequence number). */
  get eventCount(): number {
    return this.count;
  }

  /** Start an event; the returned record is updated in place (extreme, end). */
  start(kind: EventKindName, phase: number, startMs: number, extremeValue: number, detail?: string): MeterEventRecord {
    const record = this.push(kind, phase, startMs, 0, extremeValue, detail);
    this.open.add(record);
    return record;
  }

  end(record: MeterEventRecord, endMs: number): void {
    if (!this.open.delete(record)) return;
    record.endMs = Math.max(endMs, record.startMs);
    this.listener?.({ ...record });
  }

  /** An event without duration (start = end). */
  instant(kind: EventKindName, phase: number, timeMs: number, value: number, detail?: string): MeterEventRecord {
    return this.push(kind, phase, timeMs, timeMs, value, detail);
  }

  /** A past event with known start and end (the power-fail record logged at power-up). */
  span(kind: EventKindName, phase: number, startMs: number, endMs: number, value: number): MeterEventRecord {
    return this.push(kind, phase, startMs, endMs, value);
  }

  /** Close every open event at `endMs` (used when the meter loses power). */
  endAll(endMs: number): void {
    for (const record of [...this.open]) this.end(record, endMs);
  }

  private push(kind: EventKindName, phase: number, startMs: number, endMs: number, extremeValue: number, detail?: string): MeterEventRecord {
    this.count += 1;
    const record: MeterEventRecord = { sequence: this.count, kind, phase, startMs, endMs, extremeValue };
    if (detail !== undefined) record.detail = detail;
    this.ring.push(record);
    this.listener?.({ ...record });
    return record;
  }

  /** 0 = newest (a copy: callers cannot change the log). */
  fromNewest(index: number): MeterEventRecord | undefined {
    const record = this.ring.fromNewest(index);
    return record === undefined ? undefined : { ...record };
  }

  /** Oldest first (copies). */
  records(): MeterEventRecord[] {
    return this.ring.toArray().map((r) => ({ ...r }));
  }

  exportState(): EventLogState {
    return { count: this.count, records: this.records() };
  }

  /** Restore the log; events still open in the state are closed at `closeOpenAtMs`. */
  importState(state: EventLogState, closeOpenAtMs: number): void {
    this.ring.clear();
    this.open.clear();
    for (const record of state.records) {
      const copy = { ...record };
      if (copy.endMs === 0) copy.endMs = Math.max(closeOpenAtMs, copy.startMs);
      this.ring.push(copy);
    }
    this.count = state.count;
  }
}
