/**
 * Everything a meter must remember across restarts, as plain JSON-able data: registers (as exact
 * counters), demand maxima and the running demand window, billing history, load profile, event
 * log, settings, relay and tamper states, and the meter time they were taken at.
 */
import type { BillingHistoryState } from './billing.js';
import type { CounterBankState } from './counter-bank.js';
import type { DemandState } from './demand.js';
import type { EventLogState } from './events/event-log.js';
import type { LoadProfileState } from './load-profile.js';
import type { MeterConfiguration } from './meter-configuration.js';
import type { MeterIdentity } from './snapshot.js';

/** Bump when the shape changes; a store refuses states newer than it knows. */
export const METER_STATE_FORMAT_VERSION = 1;

export interface MeterState {
  formatVersion: number;
  /** Meter time of the state (ms since epoch): the last instant whose energy is counted. */
  timeMs: number;
  identity: MeterIdentity;
  configuration: MeterConfiguration;
  energy: CounterBankState;
  demand: DemandState;
  billing: BillingHistoryState;
  profile: LoadProfileState;
  events: EventLogState;
  relayClosed: boolean;
  magneticTamper: boolean;
  coverOpen: boolean;
}
