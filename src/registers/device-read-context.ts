/**
 * The register device's read context: the selected event and load-profile records are looked up
 * when an encoder first asks for them after the snapshot or the selection changed, not on every
 * refresh. Most maps (sdm630, em24, sunspec) show no log record, and each lookup touched the
 * meter's rings: cache misses on every read of a cold meter in a large fleet.
 */
import type { LoadProfileRecord, MeterEventRecord, MeterSnapshot } from '../meter/snapshot.js';
import type { ReadContext } from './read-context.js';

/** Where the records come from (the meter's commands). */
export interface LogRecords {
  eventRecord(indexFromNewest: number): MeterEventRecord | undefined;
  profileRecord(indexFromNewest: number): LoadProfileRecord | undefined;
}

export class DeviceReadContext implements ReadContext {
  unlocked = false;
  private selectedEvent: number;
  private selectedProfile: number;
  /** Looked up since the last change (false: look up when asked). */
  private eventLooked = false;
  private profileLooked = false;
  private event: MeterEventRecord | undefined;
  private profile: LoadProfileRecord | undefined;

  constructor(
    public snapshot: MeterSnapshot,
    eventIndex: number,
    profileIndex: number,
    private readonly records: LogRecords,
  ) {
    this.selectedEvent = eventIndex;
    this.selectedProfile = profileIndex;
  }

  /** A new snapshot: the records are looked up again when next asked for. */
  renew(snapshot: MeterSnapshot): void {
    this.snapshot = snapshot;
    this.eventLooked = false;
    this.profileLooked = false;
  }

  get eventIndex(): number {
    return this.selectedEvent;
  }

  set eventIndex(index: number) {
    this.selectedEvent = index;
    this.eventLooked = false;
  }

  get profileIndex(): number {
    return this.selectedProfile;
  }

  set profileIndex(index: number) {
    this.selectedProfile = index;
    this.profileLooked = false;
  }

  get eventRecord(): MeterEventRecord | undefined {
    if (!this.eventLooked) {
      this.event = this.records.eventRecord(this.selectedEvent);
      this.eventLooked = true;
    }
    return this.event;
  }

  get profileRecord(): LoadProfileRecord | undefined {
    if (!this.profileLooked) {
      this.profile = this.records.profileRecord(this.selectedProfile);
      this.profileLooked = true;
    }
    return this.profile;
  }
}
