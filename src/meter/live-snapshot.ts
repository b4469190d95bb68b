/**
 * A MeterSnapshot whose costly parts (energy and demand registers, the newest log records, the
 * measurement) are read from the meter when an encoder first asks for them, then kept. A register
 * read of one power value then builds no energy or demand register.
 *
 * Valid only while the meter has not changed (Meter.stateVersion): the register device asks for
 * it again whenever it has (the meter renews its one live snapshot in place). Its parts are
 * getters on the prototype (JSON.stringify does not see them): it is for encoders, not for outputs
 * that keep or serialize a snapshot (Meter.snapshot).
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
  // Written only by renew (readers see a snapshot, whose fields they must not write).
  timeMs = 0;
  identity!: MeterIdentity;
  activeTariff = 1;
  co2Kg = 0;
  relayClosed = true;
  settings!: MeterSettings;
  eventCount = 0;
  profileCount = 0;
  billingPeriodCount = 0;
  private energyRegisters: MeterSnapshot['energy'] | undefined;
  private demandRegisters: DemandRegisters | undefined;

  constructor(
    private readonly parts: LiveSnapshotParts,
    values: LiveSnapshotValues,
  ) {
    this.renew(values);
  }

  /**
   * The meter has changed: the same object shows it now (its parts computed afresh when next
   * read). A meter keeps one live snapshot and renews it, so a read of a cold meter allocates none
   * (under polls spread over 100,000 meters, each new one outlived the young generation).
   */
  renew(values: LiveSnapshotValues): void {
    this.timeMs = values.timeMs;
    this.identity = values.identity;
    this.activeTariff = values.activeTariff;
    this.co2Kg = values.co2Kg;
    this.relayClosed = values.relayClosed;
    this.settings = values.settings;
    this.eventCount = values.eventCount;
    this.profileCount = values.profileCount;
    this.billingPeriodCount = values.billingPeriodCount;
    this.energyRegisters = undefined;
    this.demandRegisters = undefined;
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
