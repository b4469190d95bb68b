/**
 * The meter over time. Each tick measures one window from its source (scaled by the CT/PT ratios,
 * zero current while the relay is open) and integrates it over the time since the previous tick.
 * A tick that spans a demand sub-period, profile interval, tariff switch or billing close is cut
 * at those instants so that every part is credited to the right interval and tariff.
 *
 * Pure given its inputs: the time comes in through tick(nowMs) and restore(state, nowMs); the
 * meter has no timers and does no I/O (see create-meter.ts for the running service and
 * store/ for persistence).
 */
import type { WindowMeasurement } from '../metrology/measurement.js';
import { BillingHistory, nextBillingClose, type BillingPeriodRecord } from './billing.js';
import type { MeterCommands } from './commands.js';
import { DemandCalculator } from './demand.js';
import { EnergyAccumulator } from './energy-accumulator.js';
import { EventKind, type EventKindName } from './events/event-kind.js';
import { EventLog, type EventListener } from './events/event-log.js';
import { PowerQualityMonitor } from './events/power-quality-monitor.js';
import { nextLocalBoundary, type LocalZone } from './local-time.js';
import { LoadProfile } from './load-profile.js';
import { loadProfileToCsv } from './load-profile-csv.js';
import type { MeasurementSource } from '../metrology/measurement-source.js';
import { checkMeasurement } from './measurement-check.js';
import { scaleMeasurement } from './measurement-scaling.js';
import {
  changedSettings,
  DEFAULT_CONFIGURATION,
  localZoneOf,
  validateConfigurationChange,
  type MeterConfiguration,
} from './meter-configuration.js';
import { METER_STATE_FORMAT_VERSION, type MeterState } from './meter-state.js';
import { ProfileStatus } from './profile-status.js';
import { LiveSnapshot, type LiveSnapshotParts, type LiveSnapshotValues } from './live-snapshot.js';
import type { DemandRegisters, LoadProfileRecord, MeterEventRecord, MeterIdentity, MeterSnapshot } from './snapshot.js';
import { CompiledTariffCalendar } from './tariff-calendar.js';
import { zeroMeasurement } from './zero-measurement.js';

/**
 * Compiled calendars by calendar object: a calendar is replaced, never mutated, and a fleet's
 * meters share the default one, so they share its compiled form too.
 */
const compiledCalendars = new WeakMap<object, CompiledTariffCalendar>();

function compiledCalendar(calendar: MeterConfiguration['calendar']): CompiledTariffCalendar {
  let compiled = compiledCalendars.get(calendar);
  if (compiled === undefined) {
    compiled = CompiledTariffCalendar.compile(calendar);
    compiledCalendars.set(calendar, compiled);
  }
  return compiled;
}

/** A gap longer than this between the stored state and power-up is logged as a power failure. */
export const POWER_FAIL_GAP_MS = 2000;

export const DEFAULT_IDENTITY: MeterIdentity = {
  serialNumber: 1,
  vendor: 'submeter',
  model: 'SM-3P4Q',
  firmware: '0.1.0',
};

export interface MeterOptions {
  source: MeasurementSource;
  configuration?: Partial<MeterConfiguration>;
  identity?: Partial<MeterIdentity>;
}

export class Meter implements MeterCommands, LiveSnapshotParts {
  readonly source: MeasurementSource;
  readonly identity: MeterIdentity;
  private config: MeterConfiguration;
  private calendar: CompiledTariffCalendar;
  private zone: LocalZone;
  private readonly energy = new EnergyAccumulator();
  private demand: DemandCalculator;
  private profile: LoadProfile;
  private readonly billing = new BillingHistory(0);
  private readonly events = new EventLog();
  private readonly monitor = new PowerQualityMonitor();
  /** The last window; undefined after releaseCaches (measured again when asked for). */
  private measurement: WindowMeasurement | undefined;
  /**
   * Meter time of the last tick (ms since epoch; NaN before the first): a number field, so a tick
   * writes its double in place instead of boxing a new one per tick (`number | undefined` did, one
   * more object per read of each cold meter in a fleet for the collector to promote).
   */
  private tickedMs = Number.NaN;
  private get lastTickMs(): number | undefined {
    return Number.isNaN(this.tickedMs) ? undefined : this.tickedMs;
  }
  private set lastTickMs(ms: number | undefined) {
    this.tickedMs = ms ?? Number.NaN;
  }
  /** A deferred start (deferStart): the time of the first window, measured when first needed. */
  private pendingStartMs: number | undefined;
  private tariff = 1;
  private nextDemandMs = Infinity;
  private nextProfileMs = Infinity;
  private nextTariffMs = Infinity;
  private nextBillingMs = Infinity;
  private relayClosed = true;
  private relayEvent: MeterEventRecord | undefined;
  private tamperEvent: MeterEventRecord | undefined;
  private coverEvent: MeterEventRecord | undefined;
  private changeListener: (() => void) | undefined;
  /** Lazy meters: brings the meter up to now before it is observed or commanded (see setObserver). */
  private observer: (() => void) | undefined;
  private observing = false;
  /** A command changed what the next window is judged by (relay, settings) since the last tick. */
  private judgedAfresh = false;
  /** stateVersion: bumped by every tick and every accepted command. */
  private version = 0;

  constructor(options: MeterOptions) {
    this.source = options.source;
    this.identity = { ...DEFAULT_IDENTITY, ...options.identity };
    const change = options.configuration ?? {};
    // No change: the (immutable, already valid) defaults themselves, shared by a fleet.
    this.config = Object.keys(change).length === 0 ? DEFAULT_CONFIGURATION : validateConfigurationChange(DEFAULT_CONFIGURATION, change);
    this.calendar = compiledCalendar(this.config.calendar);
    this.zone = localZoneOf(this.config);
    this.demand = new DemandCalculator(this.config.demandMethod, this.config.demandPeriodS, this.config.demandSubPeriodS);
    this.profile = new LoadProfile(this.config.profilePeriodS);
    this.measurement = zeroMeasurement(0);
  }

  /** Meter time of the last tick (ms since epoch), undefined before the first. */
  get timeMs(): number | undefined {
    return this.lastTickMs;
  }

  get configuration(): MeterConfiguration {
    return this.config;
  }

  get activeTariff(): number {
    return this.tariff;
  }

  /** The latest window as the meter sees it (scaled). */
  get latestMeasurement(): WindowMeasurement {
    return this.lastMeasurement();
  }

  private lastMeasurement(): WindowMeasurement {
    if (this.measurement === undefined) {
      // As it was measured: at the last tick, with the ratios and the relay of then.
      const config = this.measuredConfig;
      const raw = this.source.measureAt((this.lastTickMs ?? 0) / 1000);
      this.measurement = scaleMeasurement(raw, config.ctRatio, config.ptRatio, this.measuredRelayClosed);
    }
    return this.measurement;
  }

  /** The scaling of the last window (releaseCaches measures it again the same way). */
  private measuredConfig: MeterConfiguration = DEFAULT_CONFIGURATION;
  private measuredRelayClosed = true;

  /**
   * A lazy meter's catch-up: called before every snapshot, record, export and command, so what is
   * observed or changed is at the clock's now (create-meter.ts sets it; never re-entered).
   */
  setObserver(observer: (() => void) | undefined): void {
    this.observer = observer;
  }

  private observe(): void {
    if (this.observer === undefined || this.observing) return;
    this.observing = true;
    try {
      this.observer();
    } finally {
      this.observing = false;
    }
  }

  /** The next instant the meter must record something (demand sub-period, profile interval, tariff switch, billing close). */
  get nextBoundaryMs(): number {
    return Math.min(this.nextDemandMs, this.nextProfileMs, this.nextTariffMs, this.nextBillingMs);
  }

  /**
   * A lazy meter's next wake-up (meter clock, ms) when it is caught up on a grid of `gridMs` (as
   * catchUp does): the next boundary it must record (one that logs nothing quietWakePhase late);
   * the first grid tick whose window may differ from the last one measured (near a change of its
   * source: a sag starts or ends); the grid tick
   * at which a pending condition qualifies as an event (reverse power after 10 s); the next grid
   * tick after a command that changes how windows are judged (relay, settings). Caught up at each
   * wake-up, it records every event at the grid tick an eagerly ticked meter does, and no later.
   */
  wakeAtMs(gridMs: number): number {
    // A deferred start is as if measured at its time (deferStart).
    const last = this.lastTickMs ?? this.pendingStartMs;
    // A boundary that logs nothing (demand, profile, tariff) is recorded exactly by whichever
    // catch-up crosses it, so its wake-up may come late: quietWakePhase spreads a fleet's over the
    // shortest recording period instead of waking every meter at once. Billing logs an event: on time.
    const quietDelayMs = Math.floor(this.quietWakePhase * Math.min(this.demand.subPeriodS, this.profile.periodS)) * 1000;
    const quiet = Math.min(this.nextDemandMs, this.nextProfileMs, this.nextTariffMs) + quietDelayMs;
    const boundary = Math.min(quiet, this.nextBillingMs);
    if (last === undefined || !(gridMs > 0)) return boundary;
    const nextGrid = (Math.floor(last / gridMs) + 1) * gridMs;
    const steadyUntilS = this.source.steadyUntilS?.bind(this.source);
    if (this.judgedAfresh || steadyUntilS === undefined) return Math.min(boundary, nextGrid);
    // From just before the last tick: a change begun at that very instant, after it was measured,
    // makes the next window differ.
    const steadyMs = steadyUntilS((last - 1) / 1000) * 1000;
    const afterSteady = Math.max(nextGrid, (Math.floor(steadyMs / gridMs) + 1) * gridMs);
    const qualifiesMs = this.monitor.nextQualifyingMs();
    const qualifies = Number.isFinite(qualifiesMs) ? Math.max(nextGrid, Math.ceil(qualifiesMs / gridMs) * gridMs) : Number.POSITIVE_INFINITY;
    return Math.min(boundary, afterSteady, qualifies);
  }

  /** See wakeAtMs: in [0, 1); 0 (the default) wakes on every boundary. */
  private quietWakePhase = 0;

  /**
   * How late (a fraction of the shortest recording period, in [0, 1)) a lazy meter wakes for a
   * boundary that logs nothing: a fleet gives each meter its own, so they do not all wake at once.
   */
  setQuietWakePhase(phase: number): void {
    if (!(phase >= 0 && phase < 1)) throw new RangeError(`quiet wake phase must be in [0, 1), got ${phase}`);
    this.quietWakePhase = phase;
  }

  /**
   * Told of every event record as it is logged and again when an open one ends (same sequence,
   * endMs set), synchronously: the listener must only take the record (a copy), not call back
   * into the meter. undefined: none.
   */
  setEventListener(listener: EventListener | undefined): void {
    this.events.setListener(listener);
  }

  /** True when the source can say how long its measurement stays steady (catchUp can skip ticks). */
  get canCatchUp(): boolean {
    return this.source.steadyUntilS !== undefined;
  }

  /**
   * Advance to `toMs` exactly as a meter ticked at every multiple of `gridMs` in between and then
   * at `toMs` would, without measuring every one of those windows: where the source reports its
   * windows steady (same electrical values), a run of grid ticks is replaced by its first and last
   * tick, cut at every boundary the meter records (intervals, tariffs, billing), so energy, demand,
   * profile (its frequency is the source's exact mean, which telescopes), tariffs and events come
   * out as the eager meter's. A source without steadyUntilS is simply ticked at `toMs`.
   */
  catchUp(toMs: number, gridMs: number): void {
    this.startIfPending();
    const to = Math.floor(toMs);
    const steadyUntilS = this.source.steadyUntilS?.bind(this.source);
    const from = this.lastTickMs;
    if (steadyUntilS === undefined || from === undefined || !(to > from) || !(gridMs > 0)) {
      this.tick(to);
      return;
    }
    // One window all the way: the source is steady from the last tick through `to` (every grid
    // tick in between, and `to` itself, measures the last window again) and nothing is recorded
    // before `to` (no boundary, no condition qualifying, no command asking for a fresh judgement),
    // so one tick at `to` is the whole run: the usual read of a fleet meter read seconds ago.
    // (From just before the last tick, as wakeAtMs: a change begun at that instant counts.)
    if (!this.judgedAfresh && this.nextBoundaryMs >= to && !(this.monitor.nextQualifyingMs() < to) && steadyUntilS((from - 1) / 1000) * 1000 >= to) {
      this.tick(to);
      return;
    }
    let t = from;
    for (;;) {
      const first = (Math.floor(t / gridMs) + 1) * gridMs;
      if (first >= to) break;
      this.tick(first);
      const steadyEndMs = Math.floor(steadyUntilS(first / 1000) * 1000);
      const runEnd = Math.min(steadyEndMs, this.nextBoundaryMs, to - 1);
      const last = Math.floor(runEnd / gridMs) * gridMs;
      if (last > first) this.tick(last);
      t = Math.max(first, last);
    }
    this.tick(to);
  }

  /**
   * Forget caches that only make the next observations cheaper (the demand's and the energy's
   * per-tariff arrays, the last window); nothing observable changes. A fleet calls it for meters
   * nobody has read lately. (A phasor source keeps its model's parts: see phasor-window-measurer.ts.)
   */
  releaseCaches(): void {
    this.demand.releaseCache();
    this.energy.releaseCache();
    // The last window shares its model's harmonic arrays: measured again, identically, when next
    // asked for (only a source that can say how long it stays steady is a pure function of time).
    if (this.lastTickMs !== undefined && this.canCatchUp) this.measurement = undefined;
  }

  /** Called after every accepted command (settings, resets, relay, tamper): the store flushes. */
  setChangeListener(listener: (() => void) | undefined): void {
    this.changeListener = listener;
  }

  /**
   * Measure one window at `nowMs` and integrate it over the time since the previous tick.
   * Throws RangeError (changing nothing) when the source yields a non-finite or negative value.
   */
  tick(nowMs: number): void {
    const now = Math.floor(nowMs);
    if (!Number.isFinite(now)) throw new RangeError(`meter time must be a finite number of ms, got ${nowMs}`);
    if (this.pendingStartMs !== undefined && this.pendingStartMs !== now) this.startIfPending();
    this.version += 1;
    this.pendingStartMs = undefined;
    const raw = this.source.measureAt(now / 1000);
    checkMeasurement(raw, this.source.description, now / 1000);
    const m = scaleMeasurement(raw, this.config.ctRatio, this.config.ptRatio, this.relayClosed);
    this.measurement = m;
    this.judgedAfresh = false;
    this.measuredConfig = this.config;
    this.measuredRelayClosed = this.relayClosed;
    if (this.lastTickMs === undefined) {
      this.startAt(now);
    } else if (now < this.lastTickMs) {
      this.clockWentBack(now);
    } else {
      this.advance(now, m, true);
    }
    this.monitor.observe(m, now, this.config, this.events);
    if (this.monitor.voltageEventActive()) this.profile.mark(ProfileStatus.VOLTAGE_EVENT);
    if (!this.relayClosed) this.profile.mark(ProfileStatus.RELAY_OPEN);
    if (this.tamperEvent !== undefined || this.coverEvent !== undefined) this.profile.mark(ProfileStatus.TAMPER);
  }

  /**
   * Start at `nowMs` without measuring yet (a lazy meter; createMeter): the first window is
   * measured at `nowMs` by the first tick or catch-up, whenever that comes. The source is a pure
   * function of time, so the meter ends up exactly as one that measured at `nowMs` right away; its
   * boundaries are scheduled now, so nextBoundaryMs wakes it for the first one. A fleet of meters
   * that nobody reads costs no window each at start, and holds no measurement.
   */
  deferStart(nowMs: number): void {
    if (this.lastTickMs !== undefined) throw new Error('deferStart: the meter has already started');
    const now = Math.floor(nowMs);
    this.pendingStartMs = now;
    this.scheduleBoundaries(now);
  }

  private startIfPending(): void {
    const start = this.pendingStartMs;
    if (start !== undefined) this.tick(start);
  }

  private startAt(now: number): void {
    this.lastTickMs = now;
    this.billing.startPeriodAt(now);
    // A deferred start scheduled them from this very instant already.
    if (this.boundariesFromMs !== now) this.scheduleBoundaries(now);
  }

  private clockWentBack(now: number): void {
    const previous = this.lastTickMs ?? now;
    this.events.instant(EventKind.CLOCK_ADJUSTED, 0, now, (now - previous) / 1000);
    this.profile.mark(ProfileStatus.CLOCK_ADJUSTED);
    this.lastTickMs = now;
    this.scheduleBoundaries(now);
  }

  /** The instant the boundaries were last scheduled from (undefined: they must be scheduled again). */
  private boundariesFromMs: number | undefined;

  private scheduleBoundaries(t: number): void {
    this.boundariesFromMs = t;
    const zone = this.zone;
    this.nextDemandMs = nextLocalBoundary(t, this.demand.subPeriodS * 1000, zone);
    this.nextProfileMs = nextLocalBoundary(t, this.profile.periodS * 1000, zone);
    this.tariff = this.calendar.tariffAt(t, zone);
    this.nextTariffMs = this.calendar.nextChangeAfter(t, zone);
    this.nextBillingMs = nextBillingClose(t, this.config.billingDayOfMonth, this.config.billingTime, zone);
  }

  /**
   * Move meter time to `toMs`, integrating `m` when powered, and close every interval, tariff
   * and billing period that ends on the way.
   */
  private advance(toMs: number, m: WindowMeasurement, powered: boolean): void {
    let t = this.lastTickMs ?? toMs;
    const zone = this.zone;
    const factor = this.config.emissionFactorKgPerKWh;
    while (t < toMs) {
      const next = Math.min(toMs, this.nextDemandMs, this.nextProfileMs, this.nextTariffMs, this.nextBillingMs);
      const durationS = (next - t) / 1000;
      if (powered) {
        this.energy.integrate(m, durationS, this.tariff, factor);
        this.demand.accumulate(m, durationS);
        const meanHz = this.source.meanFrequencyHz;
        this.profile.accumulate(m, durationS, meanHz === undefined || !(next > t) ? m.frequencyHz : meanHz.call(this.source, t / 1000, next / 1000));
      } else {
        this.profile.mark(ProfileStatus.POWER_FAIL);
      }
      t = next;
      if (t === this.nextDemandMs) {
        this.demand.closeSubPeriod(t, this.tariff);
        this.nextDemandMs = nextLocalBoundary(t, this.demand.subPeriodS * 1000, zone);
      }
      if (t === this.nextProfileMs) {
        this.profile.close(t);
        if (!powered && t < toMs) this.profile.mark(ProfileStatus.POWER_FAIL);
        this.nextProfileMs = nextLocalBoundary(t, this.profile.periodS * 1000, zone);
      }
      if (t === this.nextBillingMs) {
        this.closeBillingPeriod(t);
        this.nextBillingMs = nextBillingClose(t, this.config.billingDayOfMonth, this.config.billingTime, zone);
      }
      if (t === this.nextTariffMs) {
        this.tariff = this.calendar.tariffAt(t, zone);
        this.nextTariffMs = this.calendar.nextChangeAfter(t, zone);
      }
    }
    this.lastTickMs = toMs;
  }

  private closeBillingPeriod(t: number): void {
    const record = this.billing.close(
      t,
      this.energy.registers(0),
      this.energy.tariffs(),
      this.energy.co2Kg(),
      this.demand.registers(),
    );
    this.demand.resetMaxima();
    this.events.instant(EventKind.BILLING_CLOSE, 0, t, record.sequence);
  }

  // ---- commands -------------------------------------------------------------------------

  /**
   * Changes with every change of what a snapshot shows (every tick, every accepted command): a
   * reader holding a liveSnapshot takes a new one when it differs.
   */
  get stateVersion(): number {
    return this.version;
  }

  /**
   * The snapshot a register image is encoded from, its parts computed when first read (a fleet
   * read of one power register does not build every energy and demand register): valid only
   * while stateVersion is unchanged, so only for a reader that asks again whenever it changes.
   * Always the same object, renewed: a reader must not keep one for later.
   */
  liveSnapshot(): MeterSnapshot {
    this.observe();
    const values: LiveSnapshotValues = {
      timeMs: this.lastTickMs ?? 0,
      identity: this.identity,
      activeTariff: this.tariff,
      co2Kg: this.energy.co2Kg(),
      relayClosed: this.relayClosed,
      settings: this.settingsOf(this.config),
      eventCount: this.events.eventCount,
      profileCount: this.profile.recordCount,
      billingPeriodCount: this.billing.closedCount,
    };
    if (this.live === undefined) this.live = new LiveSnapshot(this, values);
    else this.live.renew(values);
    return this.live;
  }

  /** The one live snapshot, renewed by every liveSnapshot call. */
  private live: LiveSnapshot | undefined;

  // The parts a LiveSnapshot reads as of the last tick (without catching up: reading them never
  // changes the meter).

  demandRegisters(): DemandRegisters {
    return this.demand.registers();
  }

  newestEvent(): MeterEventRecord | undefined {
    return this.events.fromNewest(0);
  }

  newestProfile(): LoadProfileRecord | undefined {
    return this.profile.fromNewest(0);
  }

  energyRegisters(): MeterSnapshot['energy'] {
    const energy = this.energy;
    return {
      total: energy.registers(0),
      phases: [energy.registers(1), energy.registers(2), energy.registers(3)],
      tariffs: energy.tariffs(),
      chargeAh: energy.chargeAh(),
      loadRunningS: energy.loadRunningS(),
    };
  }

  snapshot(): MeterSnapshot {
    this.observe();
    const latestEvent = this.events.fromNewest(0);
    const latestProfile = this.profile.fromNewest(0);
    return {
      timeMs: this.lastTickMs ?? 0,
      identity: this.identity,
      measurement: this.lastMeasurement(),
      energy: this.energyRegisters(),
      activeTariff: this.tariff,
      demand: this.demand.registers(),
      co2Kg: this.energy.co2Kg(),
      relayClosed: this.relayClosed,
      settings: this.settingsOf(this.config),
      eventCount: this.events.eventCount,
      latestEvent,
      profileCount: this.profile.recordCount,
      latestProfile,
      billingPeriodCount: this.billing.closedCount,
    };
  }

  /**
   * The settings a snapshot shows: one copy per configuration (the configuration object is
   * replaced on every change, never mutated), not a copy per tick.
   */
  private settingsOf(config: MeterConfiguration): MeterSnapshot['settings'] {
    if (this.settingsCopy?.config !== config) this.settingsCopy = { config, settings: { ...config } };
    return this.settingsCopy.settings;
  }

  private settingsCopy: { config: MeterConfiguration; settings: MeterSnapshot['settings'] } | undefined;

  /** Total active import energy (Wh), without building a snapshot. */
  activeImportWh(): number {
    this.observe();
    return this.energy.activeImportWh();
  }

  updateSettings(change: Partial<MeterConfiguration>): void {
    this.observe();
    const next = validateConfigurationChange(this.config, change);
    const changed = changedSettings(this.config, next);
    if (changed.length === 0) return;
    const at = this.lastTickMs ?? 0;
    const previous = this.config;
    for (const key of changed) {
      const before = previous[key];
      const after = next[key];
      const detail = key === 'calendar' ? 'calendar replaced' : `${key} ${String(before)} -> ${String(after)}`;
      this.events.instant(EventKind.CONFIGURATION_CHANGE, 0, at, typeof after === 'number' ? after : 0, detail);
    }
    this.config = next;
    this.zone = localZoneOf(next);
    if (changed.includes('calendar')) this.calendar = compiledCalendar(next.calendar);
    if (
      next.demandMethod !== previous.demandMethod ||
      next.demandPeriodS !== previous.demandPeriodS ||
      next.demandSubPeriodS !== previous.demandSubPeriodS
    ) {
      const demand = new DemandCalculator(next.demandMethod, next.demandPeriodS, next.demandSubPeriodS);
      demand.takeMaximaFrom(this.demand);
      this.demand = demand;
    }
    if (next.profilePeriodS !== previous.profilePeriodS) {
      const profile = new LoadProfile(next.profilePeriodS);
      profile.importState(this.profile.exportState(), true);
      this.profile = profile;
    }
    this.profile.mark(ProfileStatus.CONFIGURATION_CHANGED);
    this.judgedAfresh = true;
    this.boundariesFromMs = undefined;
    if (this.lastTickMs !== undefined) this.scheduleBoundaries(this.lastTickMs);
    this.changed();
  }

  resetDemand(): void {
    this.observe();
    this.demand.resetMaxima();
    this.events.instant(EventKind.DEMAND_RESET, 0, this.lastTickMs ?? 0, 0);
    this.profile.mark(ProfileStatus.RESET);
    this.changed();
  }

  resetEnergy(): void {
    this.observe();
    this.energy.reset();
    this.events.instant(EventKind.ENERGY_RESET, 0, this.lastTickMs ?? 0, 0);
    this.profile.mark(ProfileStatus.RESET);
    this.changed();
  }

  setRelay(closed: boolean): void {
    this.observe();
    if (closed === this.relayClosed) return;
    this.relayClosed = closed;
    this.judgedAfresh = true;
    this.relayEvent = this.toggleEvent(EventKind.RELAY_OPEN, this.relayEvent, !closed);
    if (!closed) this.profile.mark(ProfileStatus.RELAY_OPEN);
    this.changed();
  }

  recordPasswordLockout(attempts: number): void {
    this.events.instant(EventKind.PASSWORD_LOCKOUT, 0, this.lastTickMs ?? 0, attempts);
    this.changed();
  }

  get relayIsClosed(): boolean {
    return this.relayClosed;
  }

  /** A magnet near the meter (injected by a test or a fault scenario). */
  setMagneticTamper(active: boolean): void {
    this.observe();
    if (active === (this.tamperEvent !== undefined)) return;
    this.tamperEvent = this.toggleEvent(EventKind.MAGNETIC_TAMPER, this.tamperEvent, active);
    if (active) this.profile.mark(ProfileStatus.TAMPER);
    this.changed();
  }

  /** The terminal cover opened or closed (injected). */
  setCoverOpen(open: boolean): void {
    this.observe();
    if (open === (this.coverEvent !== undefined)) return;
    this.coverEvent = this.toggleEvent(EventKind.COVER_OPEN, this.coverEvent, open);
    if (open) this.profile.mark(ProfileStatus.TAMPER);
    this.changed();
  }

  private toggleEvent(kind: EventKindName, record: MeterEventRecord | undefined, active: boolean): MeterEventRecord | undefined {
    const at = this.lastTickMs ?? 0;
    if (active) return this.events.start(kind, 0, at, 1);
    if (record !== undefined) this.events.end(record, at);
    return undefined;
  }

  eventRecord(indexFromNewest: number): MeterEventRecord | undefined {
    this.observe();
    return this.events.fromNewest(indexFromNewest);
  }

  profileRecord(indexFromNewest: number): LoadProfileRecord | undefined {
    this.observe();
    return this.profile.fromNewest(indexFromNewest);
  }

  /** A closed billing period by age (0 = newest); undefined beyond the last 12. */
  billingRecord(indexFromNewest: number): BillingPeriodRecord | undefined {
    this.observe();
    return this.billing.fromNewest(indexFromNewest);
  }

  /** Every event in the ring, oldest first. */
  eventRecords(): MeterEventRecord[] {
    this.observe();
    return this.events.records();
  }

  /** Every load-profile record in the ring, oldest first. */
  profileRecords(): LoadProfileRecord[] {
    this.observe();
    return this.profile.records();
  }

  loadProfileCsv(): string {
    this.observe();
    return loadProfileToCsv(this.profile.records(), this.zone);
  }

  private changed(): void {
    this.version += 1;
    this.changeListener?.();
  }

  // ---- persistence ----------------------------------------------------------------------

  /** The state to persist (undefined before the first tick: nothing counted yet). */
  exportState(): MeterState | undefined {
    this.observe();
    if (this.lastTickMs === undefined) return undefined;
    return {
      formatVersion: METER_STATE_FORMAT_VERSION,
      timeMs: this.lastTickMs,
      identity: this.identity,
      configuration: this.config,
      energy: this.energy.exportState(),
      demand: this.demand.exportState(),
      billing: this.billing.exportState(),
      profile: this.profile.exportState(),
      events: this.events.exportState(),
      relayClosed: this.relayClosed,
      magneticTamper: this.tamperEvent !== undefined,
      coverOpen: this.coverEvent !== undefined,
    };
  }

  /**
   * Power up from a stored state at meter time `nowMs`. Nothing is counted between the state's
   * time and now (the meter was off): the gap, if longer than POWER_FAIL_GAP_MS, is logged as a
   * power failure (the last-gasp record), and profile intervals and billing closes that fell in
   * it are closed with the POWER_FAIL flag. A state whose time is ahead of now is resumed at now
   * with a clock-adjusted event. Throws RangeError when the state is malformed.
   */
  restore(state: MeterState, nowMs: number): void {
    const now = Math.floor(nowMs);
    this.version += 1;
    const config = validateConfigurationChange(DEFAULT_CONFIGURATION, state.configuration);
    this.config = config;
    this.zone = localZoneOf(config);
    this.calendar = compiledCalendar(config.calendar);
    this.energy.importState(state.energy);
    this.demand = new DemandCalculator(config.demandMethod, config.demandPeriodS, config.demandSubPeriodS);
    this.demand.importState(state.demand);
    this.profile = new LoadProfile(config.profilePeriodS);
    this.profile.importState(state.profile, true);
    this.billing.importState(state.billing);
    this.events.importState(state.events, state.timeMs);
    this.monitor.clear();
    this.relayClosed = state.relayClosed;
    this.relayEvent = undefined;
    this.tamperEvent = undefined;
    this.coverEvent = undefined;
    // Conditions that persist through a restart are logged again from power-up.
    this.lastTickMs = state.timeMs;
    if (!state.relayClosed) this.relayEvent = this.events.start(EventKind.RELAY_OPEN, 0, Math.max(now, state.timeMs), 1);
    if (state.magneticTamper) this.tamperEvent = this.events.start(EventKind.MAGNETIC_TAMPER, 0, Math.max(now, state.timeMs), 1);
    if (state.coverOpen) this.coverEvent = this.events.start(EventKind.COVER_OPEN, 0, Math.max(now, state.timeMs), 1);
    this.scheduleBoundaries(state.timeMs);
    if (now < state.timeMs) {
      this.clockWentBack(now);
      return;
    }
    if (now - state.timeMs > POWER_FAIL_GAP_MS) {
      this.events.span(EventKind.POWER_FAIL, 0, state.timeMs, now, (now - state.timeMs) / 1000);
    }
    this.advance(now, zeroMeasurement(now / 1000), false);
  }
}
