/**
 * Civil (local) time of the meter. The meter keeps UTC internally and shows local time through a
 * fixed offset from UTC in minutes (a meter's configured time zone; daylight-saving changes are
 * not applied automatically, as on most utility meters, which bill in standard time).
 */

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

export interface LocalTime {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
  /** 0 = Monday .. 6 = Sunday (ISO order). */
  weekday: number;
  /** Whole minutes since local midnight, 0..1439. */
  minuteOfDay: number;
  /** The UTC instant (ms) of this local day's midnight. */
  midnightMs: number;
}

export function localTimeOf(timeMs: number, utcOffsetMinutes: number): LocalTime {
  const offsetMs = utcOffsetMinutes * MS_PER_MINUTE;
  const shifted = timeMs + offsetMs;
  const dayStartShifted = Math.floor(shifted / MS_PER_DAY) * MS_PER_DAY;
  const date = new Date(dayStartShifted);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    weekday: (date.getUTCDay() + 6) % 7,
    minuteOfDay: Math.floor((shifted - dayStartShifted) / MS_PER_MINUTE),
    midnightMs: dayStartShifted - offsetMs,
  };
}

/** The UTC instant of a local civil time (month 1..12; day may overflow into the next month). */
export function utcOfLocal(
  year: number,
  month: number,
  day: number,
  minuteOfDay: number,
  utcOffsetMinutes: number,
): number {
  return Date.UTC(year, month - 1, day) + (minuteOfDay - utcOffsetMinutes) * MS_PER_MINUTE;
}

/**
 * The first multiple of `periodMs` in local time strictly after `timeMs` (interval boundaries of
 * demand and load profile are aligned to local clock time: 00:15, 00:30 ...).
 */
export function nextLocalBoundary(timeMs: number, periodMs: number, utcOffsetMinutes: number): number {
  const offsetMs = utcOffsetMinutes * MS_PER_MINUTE;
  const shifted = timeMs + offsetMs;
  return (Math.floor(shifted / periodMs) + 1) * periodMs - offsetMs;
}

/** "HH:MM" -> minutes after midnight, or undefined when not a valid time of day. */
export function parseTimeOfDay(text: string): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return undefined;
  return hours * 60 + minutes;
}

export function formatTimeOfDay(minuteOfDay: number): string {
  const hours = Math.floor(minuteOfDay / 60);
  const minutes = minuteOfDay % 60;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}
