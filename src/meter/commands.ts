/**
 * What the outside (register-map writes, the control API) may ask of a meter. The meter validates
 * every request: a value outside a setting's bounds throws a RangeError whose message names the
 * setting and its bounds (the register layer answers such a write with exception 03).
 * Every accepted change is logged as an event and persisted by the meter's store.
 */
import type { LoadProfileRecord, MeterEventRecord, MeterSettings, MeterSnapshot } from './snapshot.js';

export interface MeterCommands {
  snapshot(): MeterSnapshot;
  /**
   * Changes whenever what a snapshot shows changes (a tick, an accepted command). With
   * liveSnapshot: a reader (the register device) that takes a new live snapshot whenever it
   * differs reads its parts lazily. Absent: the reader takes full snapshots.
   */
  readonly stateVersion?: number;
  /** A snapshot whose parts are computed when first read; valid while stateVersion is unchanged (it may be the same object, renewed: never keep one). */
  liveSnapshot?(): MeterSnapshot;
  updateSettings(change: Partial<MeterSettings>): void;
  resetDemand(): void;
  resetEnergy(): void;
  setRelay(closed: boolean): void;
  /** Log that the settings password was locked out after `attempts` wrong passwords in a row. */
  recordPasswordLockout?(attempts: number): void;
  /** Event-log record by age: 0 = newest; undefined beyond the ring. */
  eventRecord(indexFromNewest: number): MeterEventRecord | undefined;
  /**
   * Be told of every event record as it is logged and again when an open one ends (same sequence,
   * endMs set), synchronously, without polling; the listener must not call back into the meter.
   * Absent on a meter that cannot tell (an output then reads eventRecord).
   */
  setEventListener?(listener: ((record: MeterEventRecord) => void) | undefined): void;
  /** Load-profile record by age: 0 = newest; undefined beyond the ring. */
  profileRecord(indexFromNewest: number): LoadProfileRecord | undefined;
}
