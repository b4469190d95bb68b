/** What a meter is when neither a flag nor a config file says otherwise. */

/** The native map: everything the meter knows. */
export const DEFAULT_PROFILE = 'titan';
/** An office distribution board: inductive, with 3rd and 5th harmonics. */
export const DEFAULT_SOURCE = 'synthetic:office';
/** The Modbus serial-line specification's default line: 19200 baud, 8E1. */
export const DEFAULT_RTU_LINE = { baudRate: 19_200, parity: 'even', stopBits: 1 } as const;

/** First serial number handed out (meter n gets FIRST_SERIAL_NUMBER + n - 1). */
export const FIRST_SERIAL_NUMBER = 24_000_001;

/** Serial number of the n-th meter (1-based) when none is given. */
export function defaultSerialNumber(n: number): number {
  return FIRST_SERIAL_NUMBER + n - 1;
}
