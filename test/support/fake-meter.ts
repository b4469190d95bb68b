/**
 * A hand-made MeterSnapshot with distinct, physically consistent values (so a register mapped to
 * the wrong quantity shows), and a small in-memory MeterCommands over it that validates settings
 * like the meter does (RangeError naming the setting and its bounds) and records what it was asked.
 */
import { HARMONIC_ORDERS, type PhaseMeasurement, type WindowMeasurement } from '../../src/metrology/measurement.js';
import type { MeterCommands } from '../../src/meter/commands.js';
import {
  TARIFF_COUNT,
  type DemandRegister,
  type EnergyRegisters,
  type LoadProfileRecord,
  type MeterEventRecord,
  type MeterSettings,
  type MeterSnapshot,
} from '../../src/meter/snapshot.js';

function phase(u: number, i: number, phiDeg: number, k: number): PhaseMeasurement {
  const phi = (phiDeg * Math.PI) / 180;
  const s = u * i;
  const vh = new Float64Array(HARMONIC_ORDERS + 1);
  const ih = new Float64Array(HARMONIC_ORDERS + 1);
  vh[1] = u;
  ih[1] = i;
  for (let h = 2; h <= HARMONIC_ORDERS; h += 1) {
    vh[h] = (u * (0.02 + 0.001 * k)) / h;
    ih[h] = (i * (0.3 + 0.01 * k)) / h;
  }
  const thd = (x: Float64Array): number => {
    let sum = 0;
    for (let h = 2; h <= HARMONIC_ORDERS; h += 1) sum += (x[h] as number) ** 2;
    return Math.sqrt(sum) / (x[1] as number);
  };
  return {
    voltageRms: u,
    currentRms: i,
    activePower: s * Math.cos(phi),
    reactivePower: s * Math.sin(phi),
    apparentPower: s,
    powerFactor: Math.cos(phi),
    displacementPowerFactor: Math.cos(phi),
    budeanuReactivePower: s * Math.sin(phi),
    nonActivePower: s * Math.abs(Math.sin(phi)),
    voltageThd: thd(vh),
    currentThd: thd(ih),
    voltageHarmonics: vh,
    voltageHarmonicPhases: new Float64Array(HARMONIC_ORDERS + 1).fill((-2 * Math.PI * k) / 3),
    currentHarmonics: ih,
    currentHarmonicPhases: new Float64Array(HARMONIC_ORDERS + 1).fill((-2 * Math.PI * k) / 3 - phi),
  };
}

function energy(scale: number): EnergyRegisters {
  return {
    activeImportWh: 1_234_567.8 * scale,
    activeExportWh: 45_678.9 * scale,
    reactiveQ1varh: 234_567.1 * scale,
    reactiveQ2varh: 3_456.2 * scale,
    reactiveQ3varh: 4_567.3 * scale,
    reactiveQ4varh: 56_789.4 * scale,
    apparentVAh: 1_456_789.5 * scale,
  };
}

function demand(base: number): DemandRegister {
  return {
    present: base,
    last: base * 0.9,
    max: base * 1.5,
    maxTimeMs: 1_700_000_000_000,
    maxByTariff: Array.from({ length: TARIFF_COUNT }, (_, t) => base * (1.1 + 0.05 * t)),
    maxTimeByTariffMs: Array.from({ length: TARIFF_COUNT }, (_, t) => 1_700_000_000_000 + t * 3_600_000),
  };
}

export const DEFAULT_SETTINGS: MeterSettings = {
  ctRatio: 1,
  ptRatio: 1,
  nominalVoltage: 230,
  nominalFrequency: 50,
  nominalCurrent: 10,
  demandMethod: 'block',
  demandPeriodS: 900,
  demandSubPeriodS: 60,
  profilePeriodS: 900,
  emissionFactorKgPerKWh: 0.4,
};

export function makeSnapshot(overrides: Partial<MeterSnapshot> = {}): MeterSnapshot {
  const phases: [PhaseMeasurement, PhaseMeasurement, PhaseMeasurement] = [
    phase(230.12, 5.123, 25.8, 0),
    phase(231.45, 6.234, 18.2, 1),
    phase(229.78, 7.345, -12.5, 2),
  ];
  const p = phases.reduce((a, x) => a + x.activePower, 0);
  const q = phases.reduce((a, x) => a + x.reactivePower, 0);
  const s = phases.reduce((a, x) => a + x.apparentPower, 0);
  const measurement: WindowMeasurement = {
    startTimeS: 1_763_900_000,
    durationS: 0.2,
    cycles: 10,
    partial: false,
    frequencyHz: 49.987,
    phases,
    lineVoltages: [398.6, 400.1, 397.9],
    neutralCurrent: 1.876,
    voltageUnbalance: 0.0042,
    currentUnbalance: 0.1234,
    phaseSequence: 'abc',
    total: {
      activePower: p,
      reactivePower: q,
      apparentPower: s,
      vectorApparentPower: Math.hypot(p, q),
      powerFactor: p / s,
      displacementPowerFactor: p / Math.hypot(p, q),
    },
  };
  const latestEvent: MeterEventRecord = { sequence: 42, kind: 'sag', phase: 2, startMs: 1_763_899_000_000, endMs: 1_763_899_001_500, extremeValue: 161.5 };
  const latestProfile: LoadProfileRecord = {
    timeMs: 1_763_899_200_000,
    meanVoltage: [230.1, 231.4, 229.7],
    meanCurrent: [5.1, 6.2, 7.3],
    activeImportWh: 987.6,
    activeExportWh: 0,
    reactiveLagVarh: 321.4,
    reactiveLeadVarh: 12.3,
    apparentVAh: 1040.2,
    frequencyHz: 50.01,
    status: 0,
  };
  return {
    timeMs: 1_763_900_000_250,
    identity: { serialNumber: 24_051_234, vendor: 'Submeter Labs', model: 'Titan 3P', firmware: '1.2.3' },
    measurement,
    energy: {
      total: energy(1),
      phases: [energy(0.31), energy(0.33), energy(0.36)],
      tariffs: Array.from({ length: TARIFF_COUNT }, (_, t) => ({
        activeImportWh: 100_000 * (t + 1) + 0.5,
        activeExportWh: 1_000 * (t + 1) + 0.25,
        reactiveImportVarh: 20_000 * (t + 1) + 0.75,
        reactiveExportVarh: 700 * (t + 1) + 0.375,
        co2Kg: 40 * (t + 1) + 0.125,
      })),
      chargeAh: 98_765.4,
      loadRunningS: 3_456_789.6,
    },
    activeTariff: 3,
    demand: {
      activeImport: demand(4_321),
      activeExport: demand(123),
      apparent: demand(5_012),
      reactive: demand(1_234),
      phaseCurrent: [demand(5.5), demand(6.5), demand(7.5)],
      neutralCurrent: demand(1.75),
      phaseActiveImport: [demand(1_234), demand(1_345), demand(1_456)],
      phaseActiveExport: [demand(12), demand(23), demand(34)],
    },
    co2Kg: 493.8,
    relayClosed: true,
    settings: { ...DEFAULT_SETTINGS },
    eventCount: 43,
    latestEvent,
    profileCount: 96,
    latestProfile,
    billingPeriodCount: 7,
    ...overrides,
  };
}

const SETTING_BOUNDS: Partial<Record<keyof MeterSettings, [number, number]>> = {
  ctRatio: [1, 10_000],
  ptRatio: [1, 1_000],
  demandPeriodS: [60, 3_600],
  demandSubPeriodS: [60, 900],
  profilePeriodS: [60, 3_600],
  nominalFrequency: [50, 60],
  emissionFactorKgPerKWh: [0, 5],
};

/** In-memory MeterCommands over a hand-made snapshot; records every call. */
export class FakeMeter implements MeterCommands {
  current: MeterSnapshot;
  readonly calls: string[] = [];
  events: MeterEventRecord[] = [];
  profile: LoadProfileRecord[] = [];

  constructor(snapshot: MeterSnapshot = makeSnapshot()) {
    this.current = snapshot;
    for (let n = 0; n < 5; n += 1) {
      this.events.push({ sequence: 38 + n, kind: n % 2 === 0 ? 'swell' : 'sag', phase: 1 + (n % 3), startMs: 1_763_800_000_000 + n * 60_000, endMs: 1_763_800_000_000 + n * 60_000 + 500, extremeValue: 250 + n });
      this.profile.push({ ...(snapshot.latestProfile as LoadProfileRecord), timeMs: 1_763_899_200_000 - (4 - n) * 900_000, activeImportWh: 900 + n });
    }
  }

  snapshot(): MeterSnapshot {
    return this.current;
  }

  updateSettings(change: Partial<MeterSettings>): void {
    for (const [key, value] of Object.entries(change)) {
      const bounds = SETTING_BOUNDS[key as keyof MeterSettings];
      if (bounds !== undefined && typeof value === 'number' && (value < bounds[0] || value > bounds[1])) {
        throw new RangeError(`${key} must be within ${bounds[0]}..${bounds[1]}, got ${value}`);
      }
    }
    this.calls.push(`updateSettings ${JSON.stringify(change)}`);
    this.current = { ...this.current, settings: { ...this.current.settings, ...change } };
  }

  resetDemand(): void {
    this.calls.push('resetDemand');
  }

  resetEnergy(): void {
    this.calls.push('resetEnergy');
  }

  setRelay(closed: boolean): void {
    this.calls.push(`setRelay ${closed}`);
    this.current = { ...this.current, relayClosed: closed };
  }

  eventRecord(indexFromNewest: number): MeterEventRecord | undefined {
    return this.events[this.events.length - 1 - indexFromNewest];
  }

  profileRecord(indexFromNewest: number): LoadProfileRecord | undefined {
    return this.profile[this.profile.length - 1 - indexFromNewest];
  }
}
