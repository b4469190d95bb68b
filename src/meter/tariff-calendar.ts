/**
 * Time-of-use calendar (the shape of a DLMS/COSEM activity calendar): seasons select a week
 * profile, a week profile names a day profile for each weekday, a day profile lists switch times
 * and the tariff (1..8) that starts at each; special days (holidays) override the week profile.
 * Times are local (see local-time.ts). A calendar is data (JSON/YAML friendly) and is validated
 * once by compileTariffCalendar, with errors naming the field.
 */
import { localTimeOf, parseTimeOfDay, utcOfLocal, type LocalTime, type LocalZone } from './local-time.js';
import { TARIFF_COUNT } from './snapshot.js';

export interface TariffSwitch {
  /** Local time of day "HH:MM" at which `tariff` starts. */
  time: string;
  /** 1..8 */
  tariff: number;
}

export interface DayProfile {
  name: string;
  /** Ascending switch times; the first must be "00:00" so that every minute has a tariff. */
  switches: TariffSwitch[];
}

export interface WeekProfile {
  name: string;
  /** Day-profile names for Monday .. Sunday. */
  days: [string, string, string, string, string, string, string];
}

export interface Season {
  name: string;
  /** "MM-DD": the season runs from this date to the next season's start (wrapping the year). */
  start: string;
  weekProfile: string;
}

export interface SpecialDay {
  /** "MM-DD" every year, or "YYYY-MM-DD" once. */
  date: string;
  dayProfile: string;
}

export interface TariffCalendar {
  seasons: Season[];
  weekProfiles: WeekProfile[];
  dayProfiles: DayProfile[];
  specialDays: SpecialDay[];
}

/**
 * The default calendar: tariff 1 = day, 2 = peak, 3 = night. Weekdays: night 23:00-07:00, day
 * 07:00-17:00 and 21:00-23:00, peak 17:00-21:00; weekends and 1 January / 25 December: night
 * 23:00-07:00, day otherwise.
 */
export const DEFAULT_TARIFF_CALENDAR: TariffCalendar = {
  seasons: [{ name: 'all-year', start: '01-01', weekProfile: 'standard-week' }],
  weekProfiles: [
    { name: 'standard-week', days: ['weekday', 'weekday', 'weekday', 'weekday', 'weekday', 'weekend', 'weekend'] },
  ],
  dayProfiles: [
    {
      name: 'weekday',
      switches: [
        { time: '00:00', tariff: 3 },
        { time: '07:00', tariff: 1 },
        { time: '17:00', tariff: 2 },
        { time: '21:00', tariff: 1 },
        { time: '23:00', tariff: 3 },
      ],
    },
    {
      name: 'weekend',
      switches: [
        { time: '00:00', tariff: 3 },
        { time: '07:00', tariff: 1 },
        { time: '23:00', tariff: 3 },
      ],
    },
  ],
  specialDays: [
    { date: '01-01', dayProfile: 'weekend' },
    { date: '12-25', dayProfile: 'weekend' },
  ],
};

interface CompiledDay {
  minutes: number[];
  tariffs: number[];
}

/** A validated calendar that answers "which tariff at t" and "when may it change next". */
export class CompiledTariffCalendar {
  private constructor(
    /** Seasons sorted by start (month * 100 + day), each with its week's seven compiled days. */
    private readonly seasons: { start: number; week: CompiledDay[] }[],
    private readonly specialDays: Map<string, CompiledDay>,
  ) {}

  static compile(calendar: TariffCalendar, field = 'calendar'): CompiledTariffCalendar {
    const fail = (path: string, why: string): never => {
      throw new RangeError(`${path === '' ? field : `${field}.${path}`}: ${why}`);
    };
    if (typeof calendar !== 'object' || calendar === null) fail('', 'must be an object');
    const days = new Map<string, CompiledDay>();
    if (!Array.isArray(calendar.dayProfiles) || calendar.dayProfiles.length === 0) {
      fail('dayProfiles', 'must list at least one day profile');
    }
    calendar.dayProfiles.forEach((profile, i) => {
      const at = `dayProfiles[${i}]`;
      if (typeof profile.name !== 'string' || profile.name === '') fail(`${at}.name`, 'must be a non-empty string');
      if (days.has(profile.name)) fail(`${at}.name`, `duplicate day profile "${profile.name}"`);
      if (!Array.isArray(profile.switches) || profile.switches.length === 0) {
        fail(`${at}.switches`, 'must list at least one switch');
      }
      const minutes: number[] = [];
      const tariffs: number[] = [];
      profile.switches.forEach((sw, j) => {
        const minute = parseTimeOfDay(String(sw.time));
        if (minute === undefined) fail(`${at}.switches[${j}].time`, `"${sw.time}" is not a time HH:MM (00:00..23:59)`);
        else {
          if (j === 0 && minute !== 0) fail(`${at}.switches[0].time`, `the first switch must be at "00:00", got "${sw.time}"`);
          if (j > 0 && minute <= minutes[j - 1]) fail(`${at}.switches[${j}].time`, `"${sw.time}" is not after the previous switch`);
          minutes.push(minute);
        }
        if (!Number.isInteger(sw.tariff) || sw.tariff < 1 || sw.tariff > TARIFF_COUNT) {
          fail(`${at}.switches[${j}].tariff`, `must be an integer 1..${TARIFF_COUNT}, got ${sw.tariff}`);
        }
        tariffs.push(sw.tariff);
      });
      days.set(profile.name, { minutes, tariffs });
    });
    const dayNamed = (name: string, path: string): CompiledDay => {
      const day = days.get(name);
      if (day === undefined) return fail(path, `unknown day profile "${name}"`);
      return day;
    };
    const weeks = new Map<string, CompiledDay[]>();
    if (!Array.isArray(calendar.weekProfiles) || calendar.weekProfiles.length === 0) {
      fail('weekProfiles', 'must list at least one week profile');
    }
    calendar.weekProfiles.forEach((week, i) => {
      const at = `weekProfiles[${i}]`;
      if (typeof week.name !== 'string' || week.name === '') fail(`${at}.name`, 'must be a non-empty string');
      if (weeks.has(week.name)) fail(`${at}.name`, `duplicate week profile "${week.name}"`);
      if (!Array.isArray(week.days) || week.days.length !== 7) fail(`${at}.days`, 'must name 7 day profiles, Monday first');
      weeks.set(
        week.name,
        week.days.map((name, d) => dayNamed(name, `${at}.days[${d}]`)),
      );
    });
    if (!Array.isArray(calendar.seasons) || calendar.seasons.length === 0) fail('seasons', 'must list at least one season');
    const seasons = calendar.seasons.map((season, i) => {
      const at = `seasons[${i}]`;
      const start = parseMonthDay(String(season.start));
      if (start === undefined) return fail(`${at}.start`, `"${season.start}" is not a date MM-DD`);
      const week = weeks.get(season.weekProfile);
      if (week === undefined) return fail(`${at}.weekProfile`, `unknown week profile "${season.weekProfile}"`);
      return { start, week };
    });
    seasons.sort((a, b) => a.start - b.start);
    seasons.forEach((s, i) => {
      if (i > 0 && s.start === seasons[i - 1].start) fail('seasons', 'two seasons start on the same date');
    });
    const specialDays = new Map<string, CompiledDay>();
    (calendar.specialDays ?? []).forEach((special, i) => {
      const at = `specialDays[${i}]`;
      const date = String(special.date);
      const valid = /^\d{4}-\d{2}-\d{2}$/.test(date)
        ? parseMonthDay(date.slice(5)) !== undefined
        : parseMonthDay(date) !== undefined;
      if (!valid) fail(`${at}.date`, `"${special.date}" is not a date MM-DD or YYYY-MM-DD`);
      specialDays.set(date, dayNamed(special.dayProfile, `${at}.dayProfile`));
    });
    return new CompiledTariffCalendar(seasons, specialDays);
  }

  private dayAt(timeMs: number, zone: LocalZone): { day: CompiledDay; minuteOfDay: number; local: LocalTime } {
    const local = localTimeOf(timeMs, zone);
    const md = `${pad2(local.month)}-${pad2(local.day)}`;
    const special = this.specialDays.get(`${local.year}-${md}`) ?? this.specialDays.get(md);
    if (special !== undefined) return { day: special, minuteOfDay: local.minuteOfDay, local };
    const key = local.month * 100 + local.day;
    let season = this.seasons[this.seasons.length - 1];
    for (const s of this.seasons) if (s.start <= key) season = s;
    return { day: season.week[local.weekday], minuteOfDay: local.minuteOfDay, local };
  }

  /** The tariff (1..8) in force at `timeMs`. */
  tariffAt(timeMs: number, zone: LocalZone): number {
    const { day, minuteOfDay } = this.dayAt(timeMs, zone);
    let tariff = day.tariffs[0];
    for (let i = 0; i < day.minutes.length && day.minutes[i] <= minuteOfDay; i += 1) tariff = day.tariffs[i];
    return tariff;
  }

  /**
   * The next instant strictly after `timeMs` at which the tariff may change: the day profile's
   * next switch, or the next local midnight (a new day may follow another profile).
   */
  nextChangeAfter(timeMs: number, zone: LocalZone): number {
    const { day, local } = this.dayAt(timeMs, zone);
    for (const minute of day.minutes) {
      const at = utcOfLocal(local.year, local.month, local.day, minute, zone);
      if (at > timeMs) return at;
    }
    return utcOfLocal(local.year, local.month, local.day + 1, 0, zone);
  }
}

function parseMonthDay(text: string): number | undefined {
  const match = /^(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const month = Number(match[1]);
  const day = Number(match[2]);
  const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth[month - 1]) return undefined;
  return month * 100 + day;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
