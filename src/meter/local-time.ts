/**
 * Civil (local) time of the meter. The meter keeps UTC internally and shows local time through
 * its zone: either a fixed offset from UTC in minutes (no daylight saving, as most utility meters
 * bill in standard time) or an IANA time-zone name resolved with Intl (daylight saving applied:
 * tariff switches and billing closes follow the wall clock).
 */

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

/** A zone: its offset from UTC (minutes) at each instant. */
export interface TimeZoneRule {
  readonly name: string;
  offsetMinutesAt(timeMs: number): number;
}

/** A fixed offset in minutes, or a rule (an IANA zone). */
export type LocalZone = number | TimeZoneRule;

export function offsetMinutesAt(zone: LocalZone, timeMs: number): number {
  return typeof zone === 'number' ? zone : zone.offsetMinutesAt(timeMs);
}

const ianaZones = new Map<string, TimeZoneRule>();

/** An IANA zone ("Europe/Berlin"); throws RangeError naming it when Intl does not know it. */
export function ianaTimeZone(name: string): TimeZoneRule {
  const known = ianaZones.get(name);
  if (known !== undefined) return known;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new RangeError(`timeZone must be an IANA time-zone name such as "Europe/Berlin", got ${JSON.stringify(name)}`);
  }
  const rule: TimeZoneRule = {
    name,
    offsetMinutesAt(timeMs: number): number {
      const parts: Record<string, number> = {};
      for (const part of format.formatToParts(timeMs)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
      const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
      const wholeSecond = Math.floor(timeMs / 1000) * 1000;
      return Math.round((wall - wholeSecond) / MS_PER_MINUTE);
    },
  };
  ianaZones.set(name, rule);
  return rule;
}

export interface LocalTime {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
  /** 0 = Monday .. 6 = Sunday (ISO order). */
  weekday: number;
  /** Whole minutes since local midnight on the wall clock, 0..1439. */
  minuteOfDay: number;
  /** The UTC instant (ms) of this local day's midnight. */
  midnightMs: number;
}

export function localTimeOf(timeMs: number, zone: LocalZone): LocalTime {
  const offsetMs = offsetMinutesAt(zone, timeMs) * MS_PER_MINUTE;
  const shifted = timeMs + offsetMs;
  const dayStartShifted = Math.floor(shifted / MS_PER_DAY) * MS_PER_DAY;
  const date = new Date(dayStartShifted);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  const day = date.getUTCDate();
  return {
    year,
    month,
    day,
    weekday: (date.getUTCDay() + 6) % 7,
    minuteOfDay: Math.floor((shifted - dayStartShifted) / MS_PER_MINUTE),
    midnightMs: typeof zone === 'number' ? dayStartShifted - offsetMs : utcOfLocal(year, month, day, 0, zone),
  };
}

/**
 * The UTC instant of a local wall-clock time (month 1..12; day and minute may overflow into the
 * next month or day). In a zone with daylight saving, a time repeated when clocks go back means
 * its first occurrence, and a time skipped when they go forward means the instant just as far
 * after the jump.
 */
export function utcOfLocal(year: number, month: number, day: number, minuteOfDay: number, zone: LocalZone): number {
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * MS_PER_MINUTE;
  if (typeof zone === 'number') return wall - zone * MS_PER_MINUTE;
  const before = zone.offsetMinutesAt(wall - MS_PER_DAY);
  const after = zone.offsetMinutesAt(wall + MS_PER_DAY);
  const candidates = [wall - before * MS_PER_MINUTE, wall - after * MS_PER_MINUTE]
    .filter((t) => zone.offsetMinutesAt(t) * MS_PER_MINUTE === wall - t)
    .sort((a, b) => a - b);
  return candidates[0] ?? wall - before * MS_PER_MINUTE;
}

/**
 * The first multiple of `periodMs` in local time strictly after `timeMs` (interval boundaries of
 * demand and load profile are aligned to local clock time: 00:15, 00:30 ...). Periods divide an
 * hour, so a daylight-saving jump of an hour keeps the boundaries on the same instants.
 */
export function nextLocalBoundary(timeMs: number, periodMs: number, zone: LocalZone): number {
  const offsetMs = offsetMinutesAt(zone, timeMs) * MS_PER_MINUTE;
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
