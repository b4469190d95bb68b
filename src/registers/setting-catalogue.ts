/**
 * The meter settings a register may write, by name (the same names as the readable
 * `settings.*` quantities). A write's decoded SI value becomes a Partial<MeterSettings> handed to
 * MeterCommands.updateSettings; the meter validates it (RangeError -> exception 03).
 */
import type { MeterSettings } from '../meter/snapshot.js';

export interface Setting {
  readonly name: string;
  readonly toChange: (value: number) => Partial<MeterSettings>;
}

function setting(name: string, toChange: (value: number) => Partial<MeterSettings>): [string, Setting] {
  return [name, { name, toChange }];
}

export const SETTINGS: ReadonlyMap<string, Setting> = new Map([
  setting('settings.ctRatio', (v) => ({ ctRatio: v })),
  setting('settings.ptRatio', (v) => ({ ptRatio: v })),
  setting('settings.nominalVoltage', (v) => ({ nominalVoltage: v })),
  setting('settings.nominalFrequency', (v) => ({ nominalFrequency: v })),
  setting('settings.nominalCurrent', (v) => ({ nominalCurrent: v })),
  setting('settings.demandMethod', (v) => {
    if (v === 0) return { demandMethod: 'block' };
    if (v === 1) return { demandMethod: 'sliding' };
    throw new RangeError(`settings.demandMethod must be 0 (block) or 1 (sliding), got ${v}`);
  }),
  setting('settings.demandPeriod', (v) => ({ demandPeriodS: v })),
  setting('settings.demandSubPeriod', (v) => ({ demandSubPeriodS: v })),
  setting('settings.profilePeriod', (v) => ({ profilePeriodS: v })),
  setting('settings.emissionFactor', (v) => ({ emissionFactorKgPerKWh: v })),
]);

/**
 * Actions a writable register or coil may trigger instead of a setting:
 * resetDemand / resetEnergy (any accepted value triggers it), relay (coil or register: nonzero =
 * close), unlock (the password unlocks, 0 locks), selectEvent / selectProfile (the record index).
 */
export const COMMANDS = ['resetDemand', 'resetEnergy', 'relay', 'unlock', 'selectEvent', 'selectProfile'] as const;
export type CommandName = (typeof COMMANDS)[number];
