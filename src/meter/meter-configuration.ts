/**
 * Everything a meter is configured with: the contract's MeterSettings (what register maps may
 * write) plus the calendar, time zone, billing date and current rating. Every value has bounds;
 * validateConfigurationChange refuses a value outside them with a RangeError that names the
 * setting and its bounds (the register layer answers it with Modbus exception 03).
 *
 * Ratings (nominal voltage and current, maximum current) are those of the meter's terminals
 * (secondary side); event thresholds are fractions of them and so do not depend on CT/PT ratios.
 */
import { ianaTimeZone, parseTimeOfDay, type LocalZone } from './local-time.js';
import type { MeterSettings } from './snapshot.js';
import { CompiledTariffCalendar, DEFAULT_TARIFF_CALENDAR, type TariffCalendar } from './tariff-calendar.js';

export interface MeterConfiguration extends MeterSettings {
  /** Current above which over-current is logged (A at the terminals; Imax of the meter). */
  maxCurrent: number;
  /** Local time = UTC + this offset (minutes, -720..840; no daylight saving) unless timeZone is set. */
  utcOffsetMinutes: number;
  /** An IANA zone ("Europe/Berlin", daylight saving applied); "" = use utcOffsetMinutes. */
  timeZone: string;
  /** Billing periods close on this day of the month (1..28) at billingTime (local). */
  billingDayOfMonth: number;
  billingTime: string;
  calendar: TariffCalendar;
}

/** Frozen: meters without settings of their own share it (a change makes a new object). */
export const DEFAULT_CONFIGURATION: MeterConfiguration = Object.freeze({
  ctRatio: 1,
  ptRatio: 1,
  nominalVoltage: 230,
  nominalFrequency: 50,
  nominalCurrent: 10,
  maxCurrent: 100,
  demandMethod: 'sliding',
  demandPeriodS: 900,
  demandSubPeriodS: 300,
  profilePeriodS: 900,
  emissionFactorKgPerKWh: 0.72,
  utcOffsetMinutes: 0,
  timeZone: '',
  billingDayOfMonth: 1,
  billingTime: '00:00',
  calendar: DEFAULT_TARIFF_CALENDAR,
});

type Check = (value: unknown, next: MeterConfiguration) => void;

function numberIn(name: string, min: number, max: number, options: { integer?: boolean; divides?: number } = {}): Check {
  return (value) => {
    const kind = options.integer === true ? 'an integer' : 'a number';
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (options.integer === true && !Number.isInteger(value))) {
      throw new RangeError(`${name} must be ${kind} between ${min} and ${max}, got ${String(value)}`);
    }
    if (options.divides !== undefined && options.divides % value !== 0) {
      throw new RangeError(`${name} must divide ${options.divides} evenly (between ${min} and ${max}), got ${value}`);
    }
  };
}

const CHECKS: { [K in keyof MeterConfiguration]: Check } = {
  ctRatio: numberIn('ctRatio', 1, 10_000),
  ptRatio: numberIn('ptRatio', 1, 10_000),
  nominalVoltage: numberIn('nominalVoltage', 40, 480),
  nominalFrequency: (value) => {
    if (value !== 50 && value !== 60) throw new RangeError(`nominalFrequency must be 50 or 60, got ${String(value)}`);
  },
  nominalCurrent: numberIn('nominalCurrent', 0.1, 200),
  maxCurrent: (value, next) => {
    numberIn('maxCurrent', 0.1, 2000)(value, next);
    if (next.maxCurrent < next.nominalCurrent) {
      throw new RangeError(`maxCurrent must be between nominalCurrent (${next.nominalCurrent}) and 2000, got ${next.maxCurrent}`);
    }
  },
  demandMethod: (value) => {
    if (value !== 'block' && value !== 'sliding') throw new RangeError(`demandMethod must be "block" or "sliding", got ${String(value)}`);
  },
  demandPeriodS: numberIn('demandPeriodS', 60, 3600, { integer: true, divides: 3600 }),
  demandSubPeriodS: (value, next) => {
    numberIn('demandSubPeriodS', 60, 3600, { integer: true })(value, next);
    if (next.demandSubPeriodS > next.demandPeriodS || next.demandPeriodS % next.demandSubPeriodS !== 0) {
      throw new RangeError(
        `demandSubPeriodS must divide demandPeriodS (${next.demandPeriodS}) evenly, between 60 and ${next.demandPeriodS}, got ${next.demandSubPeriodS}`,
      );
    }
  },
  profilePeriodS: numberIn('profilePeriodS', 60, 3600, { integer: true, divides: 3600 }),
  emissionFactorKgPerKWh: numberIn('emissionFactorKgPerKWh', 0, 5),
  utcOffsetMinutes: numberIn('utcOffsetMinutes', -720, 840, { integer: true }),
  timeZone: (value) => {
    if (typeof value !== 'string') throw new RangeError(`timeZone must be an IANA time-zone name or "", got ${String(value)}`);
    if (value !== '') ianaTimeZone(value);
  },
  billingDayOfMonth: numberIn('billingDayOfMonth', 1, 28, { integer: true }),
  billingTime: (value) => {
    if (typeof value !== 'string' || parseTimeOfDay(value) === undefined) {
      throw new RangeError(`billingTime must be a time "HH:MM" between 00:00 and 23:59, got ${JSON.stringify(value)}`);
    }
  },
  calendar: (value) => {
    CompiledTariffCalendar.compile(value as TariffCalendar);
  },
};

export const CONFIGURATION_KEYS = Object.keys(CHECKS) as (keyof MeterConfiguration)[];

/**
 * The configuration after `change`, or a RangeError naming the first setting out of bounds
 * (nothing is applied then). Unknown settings are refused too.
 */
export function validateConfigurationChange(
  current: MeterConfiguration,
  change: Partial<MeterConfiguration>,
): MeterConfiguration {
  for (const key of Object.keys(change)) {
    if (!(key in CHECKS)) throw new RangeError(`unknown setting "${key}"; known settings: ${CONFIGURATION_KEYS.join(', ')}`);
  }
  const next = { ...current } as MeterConfiguration;
  for (const key of CONFIGURATION_KEYS) {
    const value = change[key];
    if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
  }
  followDependentSettings(next, change);
  // Check every setting of the result, so cross-field rules (sub-period divides period) hold
  // whichever of the two changed.
  for (const key of CONFIGURATION_KEYS) CHECKS[key](next[key], next);
  return next;
}

/**
 * A setting that must stay consistent with another follows it when a change sets one without the
 * other, so every documented value of the one is reachable on its own (a register map may offer
 * no register for the other: sdm630 has a demand period but no sub-period):
 * - a new demand period the sub-period no longer divides: the sub-period becomes the largest
 *   divisor of the period that is at least 60 s and at most the old sub-period (else the period);
 * - a nominal current above the maximum current: the maximum becomes 10 x nominal (at most 2000 A).
 * A pair given together is checked as given.
 */
function followDependentSettings(next: MeterConfiguration, change: Partial<MeterConfiguration>): void {
  const period = next.demandPeriodS;
  if (change.demandPeriodS !== undefined && change.demandSubPeriodS === undefined && Number.isInteger(period) && period >= 60 && period <= 3600) {
    if (period % next.demandSubPeriodS !== 0 || next.demandSubPeriodS > period) {
      let sub = period;
      for (let candidate = Math.min(next.demandSubPeriodS, period); candidate >= 60; candidate -= 1) {
        if (Number.isInteger(candidate) && period % candidate === 0) {
          sub = candidate;
          break;
        }
      }
      next.demandSubPeriodS = sub;
    }
  }
  const nominal = next.nominalCurrent;
  if (change.nominalCurrent !== undefined && change.maxCurrent === undefined && Number.isFinite(nominal) && nominal > next.maxCurrent) {
    next.maxCurrent = Math.min(2000, 10 * nominal);
  }
}

/** Settings whose value differs between two configurations (for the configuration-change log). */
export function changedSettings(before: MeterConfiguration, after: MeterConfiguration): (keyof MeterConfiguration)[] {
  return CONFIGURATION_KEYS.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/** The zone local time is computed in: the IANA zone if one is set, else the fixed offset. */
export function localZoneOf(config: MeterConfiguration): LocalZone {
  return config.timeZone === '' ? config.utcOffsetMinutes : ianaTimeZone(config.timeZone);
}
