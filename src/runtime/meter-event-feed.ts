/**
 * A meter's events for the outputs (MQTT): every record as it is logged and again when an open one
 * ends. A Meter tells its one listener itself as it records (MeterCommands.setEventListener); the
 * feed fans that out to the outputs' listeners and sets the meter's listener only while one is
 * there. A meter that cannot tell (a library user's own MeterCommands) is polled instead, once per
 * `pollMs`: new sequence numbers are new events, and open ones are watched until they end.
 */
import type { MeterCommands } from '../meter/commands.js';
import type { MeterEventRecord } from '../meter/snapshot.js';

type Listener = (record: MeterEventRecord) => void;

export interface MeterEventFeed {
  /** Adds a listener; returns its removal. */
  add(listener: Listener): () => void;
  /** Removes every listener (and stops polling). */
  close(): void;
}

export function meterEventFeed(commands: MeterCommands, pollMs: number): MeterEventFeed {
  const listeners = new Set<Listener>();
  const emit = (record: MeterEventRecord): void => {
    for (const listener of listeners) listener(record);
  };
  const setEventListener = commands.setEventListener?.bind(commands);
  if (setEventListener !== undefined) {
    return {
      add(listener) {
        if (listeners.size === 0) setEventListener(emit);
        listeners.add(listener);
        return () => {
          if (listeners.delete(listener) && listeners.size === 0) setEventListener(undefined);
        };
      },
      close() {
        listeners.clear();
        setEventListener(undefined);
      },
    };
  }
  const poll = eventLogPoll(commands, emit);
  let timer: NodeJS.Timeout | undefined;
  return {
    add(listener) {
      listeners.add(listener);
      if (timer === undefined) {
        timer = setInterval(poll, pollMs);
        timer.unref();
      }
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      listeners.clear();
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}

/** Reads the newest records of the log: new ones since the last poll, and ends of open ones. */
function eventLogPoll(commands: MeterCommands, emit: Listener): () => void {
  let lastSequence = commands.eventRecord(0)?.sequence ?? 0;
  const open = new Set<number>();
  return () => {
    const newest = commands.eventRecord(0);
    if (newest === undefined) return;
    for (const sequence of [...open]) {
      const record = commands.eventRecord(newest.sequence - sequence);
      if (record === undefined || record.sequence !== sequence) open.delete(sequence);
      else if (record.endMs !== 0) {
        open.delete(sequence);
        emit(record);
      }
    }
    if (newest.sequence <= lastSequence) return;
    const fresh: MeterEventRecord[] = [];
    for (let i = 0; ; i += 1) {
      const record = i === 0 ? newest : commands.eventRecord(i);
      if (record === undefined || record.sequence <= lastSequence) break;
      fresh.push(record);
    }
    lastSequence = newest.sequence;
    for (const record of fresh.reverse()) {
      if (record.endMs === 0) open.add(record.sequence);
      emit(record);
    }
  };
}
