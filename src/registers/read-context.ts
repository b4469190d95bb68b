/**
 * What a register's value is read from: the meter snapshot, plus the device's own state (the
 * selected log records, whether settings are unlocked). Quantity getters take this, never more.
 */
import type { LoadProfileRecord, MeterEventRecord, MeterSnapshot } from '../meter/snapshot.js';

export interface ReadContext {
  snapshot: MeterSnapshot;
  /** Index (0 = newest) of the event record shown in the event record window. */
  eventIndex: number;
  eventRecord: MeterEventRecord | undefined;
  /** Index (0 = newest) of the load-profile record shown in the profile record window. */
  profileIndex: number;
  profileRecord: LoadProfileRecord | undefined;
  /** True while password-protected settings are unlocked. */
  unlocked: boolean;
}
