/**
 * Numeric codes for event kinds on the wire (MeterEventRecord.kind is a string inside the meter).
 * A kind not in this table is reported as OTHER_EVENT_KIND_CODE; code 0 means "no event".
 */
export const EVENT_KIND_CODES: Readonly<Record<string, number>> = {
  'power-up': 1,
  'power-down': 2,
  interruption: 3,
  sag: 4,
  swell: 5,
  overcurrent: 6,
  'phase-loss': 7,
  'phase-sequence': 8,
  'reverse-power': 9,
  'relay-open': 10,
  'relay-close': 11,
  'settings-change': 12,
  'demand-reset': 13,
  'energy-reset': 14,
  'clock-set': 15,
  'tariff-change': 16,
  'billing-period': 17,
};

export const OTHER_EVENT_KIND_CODE = 255;

export function eventKindCode(kind: string | undefined): number {
  if (kind === undefined) return 0;
  return EVENT_KIND_CODES[kind] ?? OTHER_EVENT_KIND_CODE;
}
