/** The kinds of event the meter logs (MeterEventRecord.kind). */
export const EventKind = {
  /** Phase voltage below 90 % of nominal (ends above 92 %). Extreme: lowest voltage (V). */
  SAG: 'sag',
  /** Phase voltage above 110 % of nominal (ends below 108 %). Extreme: highest voltage (V). */
  SWELL: 'swell',
  /** All phase voltages below 10 % of nominal (ends when one is above 12 %). Extreme: lowest of the highest phase voltage (V). */
  INTERRUPTION: 'interruption',
  /** One or two phases below 10 % of nominal while another is present (ends above 12 %). Extreme: lowest voltage (V). */
  PHASE_LOSS: 'phase-loss',
  /** Phase current above the maximum current (ends below 98 % of it). Extreme: highest current (A). */
  OVER_CURRENT: 'over-current',
  /** Active power of a phase flowing out for 10 s or more (start dated back to when it began). Extreme: most negative power (W). */
  REVERSE_POWER: 'reverse-power',
  /** Voltage rotation L1-L3-L2 (acb) with all phases present. */
  PHASE_SEQUENCE: 'phase-sequence',
  /** Current unbalance above 30 % for 5 minutes (ends below 28 %). Extreme: highest unbalance (ratio). */
  CURRENT_UNBALANCE: 'current-unbalance',
  /** The meter was without power from start to end (logged at power-up: the last-gasp record). */
  POWER_FAIL: 'power-fail',
  MAGNETIC_TAMPER: 'magnetic-tamper',
  COVER_OPEN: 'cover-open',
  /** Load relay open (remote disconnect): the load sees no current from start to end. */
  RELAY_OPEN: 'relay-open',
  /** A setting changed; detail names it, old and new value. */
  CONFIGURATION_CHANGE: 'configuration-change',
  DEMAND_RESET: 'demand-reset',
  ENERGY_RESET: 'energy-reset',
  /** A billing period closed (extreme: the period's sequence number). */
  BILLING_CLOSE: 'billing-close',
  /** The clock went backwards (extreme: the jump in seconds); that span is not counted. */
  CLOCK_ADJUSTED: 'clock-adjusted',
  /** Too many wrong settings passwords in a row: unlocks refused for a while (extreme: the attempts). */
  PASSWORD_LOCKOUT: 'password-lockout',
} as const;

export type EventKindName = (typeof EventKind)[keyof typeof EventKind];
