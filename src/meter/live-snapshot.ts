/**
 * A MeterSnapshot whose costly parts (energy and demand registers, the newest log records, the
 * measurement) are read from the meter when an encoder first asks for them, then kept. A register
 * read of one power value then builds no energy or demand register.
 *
 * Valid only while the meter has not changed (Meter.stateVersion): the register device takes a
 * new one whenever it has. Its parts are getters on the prototype (JSON.stringify does not see
 * them): it is for encoders, not for outputs that keep or serialize a snapshot (Meter.snapshot).
 */
import type { WindowMeasurement } from '../metrology/measurement.js';
import type { DemandRegisters, LoadProfileRecord, MeterEventRecord, MeterIdentity, MeterSettings, MeterSnapshot } from './snapshot.js';

/** What a live snapshot reads from the meter, as of its last tick (without catching up). */
export interface LiveSnapshotParts {
  readonly latestMeasurement: WindowMeasurement;
  energyRegisters(): MeterSnapshot['energy'];
  demandRegisters(): DemandRegisters;
  newestEvent(): MeterEventRecord | undefined;
  newestProfile(): LoadProfileRecord | undefined;
}

/** The plain values of a live snapshot, taken when it is made. */
export interface LiveSnapshotValues {
  timeMs: number;
  identity: MeterIdentity;
  activeTariff: number;
  co2Kg: number;
  relayClosed: boolean;
  settings: MeterSettings;
  eventCount: number;
  profileCount: number;
  billingPeriodCount: number;
}

export class LiveSnapshot implements MeterSnapshot {
  readonly timeMs: number;
  readonly identity: MeterIdentity;
  readonly activeTariff: number;
  readonly co2Kg: number;
  readonly relayClosed: boolean;
  readonly settings: MeterSettings;
  readonly eventCount: number;
  readonly profileCount: number;
  readonly billingPeriodCount: number;
  private energyRegisters: MeterSnapshot['energy'] | undefined;
  private demandRegisters: DemandRegisters | undefined;

  constructor(
    private readonly parts: LiveSnapshotParts,
    values: LiveSnapshotValues,
  ) {
    this.timeMs = values.timeMs;
    this.identity = values.identity;
    this.activeTariff = values.activeTariff;
    this.co2Kg = values.co2Kg;
    this.relayClosed = values.relayClosed;
    this.settings = values.settings;
    this.eventCount = values.eventCount;
    this.profileCount = values.profileCount;
    this.billingPeriodCount = values.billingPeriodCount;
  }

  get measurement(): WindowMeasurement {
    return this.parts.latestMeasurement;
  }

  get energy(): MeterSnapshot['energy'] {
    return (this.energyRegisters ??= this.parts.energyRegisters());
  }

  get demand(): DemandRegisters {
    return (this.demandRegisters ??= this.parts.demandRegisters());
  }

  get latestEvent(): MeterEventRecord | undefined {
    return this.parts.newestEvent();
  }

  get latestProfile(): LoadProfileRecord | undefined {
    return this.parts.newestProfile();
  }
}
