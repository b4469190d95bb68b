/** Status flags of a load-profile record (LoadProfileRecord.status), OR-ed together. */
export const ProfileStatus = {
  /** The meter was without power for part or all of the interval. */
  POWER_FAIL: 0x01,
  /** The interval was shorter than the profile period (start, restart, period change). */
  PARTIAL: 0x02,
  /** The load relay was open during the interval. */
  RELAY_OPEN: 0x04,
  /** A voltage event (sag, swell, interruption, phase loss) was active during the interval. */
  VOLTAGE_EVENT: 0x08,
  /** Magnetic tamper or an open terminal cover during the interval. */
  TAMPER: 0x10,
  /** A setting was changed during the interval. */
  CONFIGURATION_CHANGED: 0x20,
  /** Energy or demand registers were reset during the interval. */
  RESET: 0x40,
  /** The clock went backwards during the interval (that span was not counted). */
  CLOCK_ADJUSTED: 0x80,
} as const;

export const PROFILE_STATUS_NAMES: [number, string][] = Object.entries(ProfileStatus).map(([name, bit]) => [bit, name]);

/** "POWER_FAIL|PARTIAL" for a status word, "" when none is set. */
export function describeProfileStatus(status: number): string {
  return PROFILE_STATUS_NAMES.filter(([bit]) => (status & bit) !== 0)
    .map(([, name]) => name)
    .join('|');
}
