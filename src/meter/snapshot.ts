/**
 * The meter's public state at one instant: what the register maps expose. Produced by the meter
 * after every tick (one metrology window); the register layer compiles it into a register image.
 * SI units: V, A, W, var, VA, Wh, varh, VAh, kg (CO2), Hz, ms since the Unix epoch for timestamps.
 */
import type { WindowMeasurement } from '../metrology/measurement.js';

export const TARIFF_COUNT = 8;

/** Four-quadrant energy registers (monotonic, never reset except by an explicit command). */
export interface EnergyRegisters {
  activeImportWh: number;
  activeExportWh: number;
  /** Reactive energy per quadrant: QI (import, inductive, "lag"), QII, QIII, QIV (import, capacitive, "lead"). */
  reactiveQ1varh: number;
  reactiveQ2varh: number;
  reactiveQ3varh: number;
  reactiveQ4varh: number;
  apparentVAh: number;
  /** Import minus export (Wh); may go negative. Optional so that older producers stay valid. */
  activeNetWh?: number;
}

export interface TariffRegisters {
  activeImportWh: number;
  activeExportWh: number;
  /** Reactive energy of the three-phase total with Q > 0 (QI+QII) and Q < 0 (QIII+QIV). */
  reactiveImportVarh: number;
  reactiveExportVarh: number;
  co2Kg: number;
}

/** One demand quantity: present (running) demand, last closed interval, maximum and when. */
export interface DemandRegister {
  present: number;
  last: number;
  max: number;
  /** Time of the maximum (ms since epoch), 0 when none yet. */
  maxTimeMs: number;
  /** Maximum per tariff 1..8 (index 0 = tariff 1) and when. */
  maxByTariff: number[];
  maxTimeByTariffMs: number[];
}

export interface DemandRegisters {
  activeImport: DemandRegister; // W
  activeExport: DemandRegister; // W
  apparent: DemandRegister; // VA
  reactive: DemandRegister; // var
  phaseCurrent: [DemandRegister, DemandRegister, DemandRegister]; // A
  neutralCurrent: DemandRegister; // A
  /** Active power demand of each phase, import and export (W). */
  phaseActiveImport: [DemandRegister, DemandRegister, DemandRegister];
  phaseActiveExport: [DemandRegister, DemandRegister, DemandRegister];
}

export type DemandMethod = 'block' | 'sliding';

export interface MeterSettings {
  /** CT ratio primary/secondary (e.g. 100 for 500/5 A). */
  ctRatio: number;
  /** PT ratio primary/secondary (1 for direct connection). */
  ptRatio: number;
  nominalVoltage: number; // V phase-neutral
  nominalFrequency: number; // Hz, 50 or 60
  nominalCurrent: number; // A (In, for over-current and class test points)
  demandMethod: DemandMethod;
  demandPeriodS: number;
  demandSubPeriodS: number;
  profilePeriodS: number;
  emissionFactorKgPerKWh: number;
}

export interface MeterEventRecord {
  /** Sequence number, increasing for the meter's life. */
  sequence: number;
  kind: string; // 'sag' | 'swell' | 'interruption' | ... (see src/meter/events)
  /** 0 = whole meter, 1..3 = phase. */
  phase: number;
  startMs: number;
  /** 0 while still active. */
  endMs: number;
  /** The extreme value during the event (SI unit of the quantity: V, A, W ...). */
  extremeValue: number;
  /** Free text for events that need it (a configuration change: "ctRatio 1 -> 100"). */
  detail?: string;
}

export interface LoadProfileRecord {
  /** End of the interval (ms since epoch). */
  timeMs: number;
  meanVoltage: [number, number, number];
  meanCurrent: [number, number, number];
  activeImportWh: number; // energy in this interval
  activeExportWh: number;
  reactiveLagVarh: number;
  reactiveLeadVarh: number;
  apparentVAh: number;
  frequencyHz: number;
  /** Bit flags: see src/meter/profile-status.ts. */
  status: number;
}

export interface MeterIdentity {
  serialNumber: number;
  vendor: string;
  model: string;
  firmware: string;
}

export interface MeterSnapshot {
  /** Meter clock (ms since the Unix epoch). */
  timeMs: number;
  identity: MeterIdentity;
  /** Latest window as the meter sees it (CT/PT applied; zero current when the relay is open). */
  measurement: WindowMeasurement;
  energy: {
    total: EnergyRegisters;
    phases: [EnergyRegisters, EnergyRegisters, EnergyRegisters];
    /** Per tariff 1..8 (index 0 = tariff 1). */
    tariffs: TariffRegisters[];
    /** Charge: the three line currents summed and integrated (Ah), like a meter's "Ah" register. */
    chargeAh: number;
    /** Load running time: seconds during which any line current flowed (a meter's hour counter). */
    loadRunningS: number;
  };
  /** Active tariff 1..8. */
  activeTariff: number;
  demand: DemandRegisters;
  co2Kg: number;
  relayClosed: boolean;
  settings: MeterSettings;
  /** Event log: newest last; count is the total ever logged. */
  eventCount: number;
  latestEvent: MeterEventRecord | undefined;
  profileCount: number;
  latestProfile: LoadProfileRecord | undefined;
  /** Billing periods closed so far. */
  billingPeriodCount: number;
}
