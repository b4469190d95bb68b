/**
 * Numeric codes for event kinds on the wire (MeterEventRecord.kind is a string inside the meter).
 * The codes are part of the register maps' contract: never renumber, only add. A kind not in the
 * table reads as OTHER_EVENT_KIND_CODE; 0 means "no event".
 */
import { EventKind } from '../meter/events/event-kind.js';

export const EVENT_KIND_CODES: Readonly<Record<string, number>> = {
  [EventKind.POWER_FAIL]: 1,
  [EventKind.INTERRUPTION]: 3,
  [EventKind.SAG]: 4,
  [EventKind.SWELL]: 5,
  [EventKind.OVER_CURRENT]: 6,
  [EventKind.PHASE_LOSS]: 7,
  [EventKind.PHASE_SEQUENCE]: 8,
  [EventKind.REVERSE_POWER]: 9,
  [EventKind.RELAY_OPEN]: 10,
  [EventKind.CURRENT_UNBALANCE]: 11,
  [EventKind.CONFIGURATION_CHANGE]: 12,
  [EventKind.DEMAND_RESET]: 13,
  [EventKind.ENERGY_RESET]: 14,
  [EventKind.CLOCK_ADJUSTED]: 15,
  [EventKind.BILLING_CLOSE]: 17,
  [EventKind.MAGNETIC_TAMPER]: 18,
  [EventKind.COVER_OPEN]: 19,
  [EventKind.PASSWORD_LOCKOUT]: 20,
};

export const OTHER_EVENT_KIND_CODE = 255;

export function eventKindCode(kind: string | undefined): number {
  if (kind === undefined) return 0;
  return EVENT_KIND_CODES[kind] ?? OTHER_EVENT_KIND_CODE;
}
