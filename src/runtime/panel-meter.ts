/**
 * A meter as the panel runs it: a Modbus device whose register image the panel refreshes once
 * per tick, and a store it flushes. The default factory builds one from the meter, waveform and
 * register layers; library users may pass their own factory (e.g. a device of their own).
 */
import type { RecentlyRead } from './meters/recently-read.js';
import type { PhysicalTarget } from '../control/physical-target.js';
import type { Clock } from '../meter/clock.js';
import type { MeterCommands } from '../meter/commands.js';
import type { ModbusDevice } from '../modbus/device.js';
import type { Logger } from './log/logger.js';
import type { MeterSpec } from './panel-spec.js';

/** The panel's clock: meter time in ms since the Unix epoch (real, or simulated at --speed); the meter layer's Clock. */
export type PanelClock = Clock;

/** A first block of registers worth polling, for the ready-to-paste mbpoll command. */
export interface RegisterProbe {
  table: 'input' | 'holding';
  /** 0-based protocol address. */
  address: number;
  /** Values (not registers) to read. */
  count: number;
  /** mbpoll value type: "int16", "int" (32-bit) or "float". */
  type: 'int16' | 'int' | 'float';
  /** High word first (mbpoll -B). */
  bigEndian: boolean;
  /** What the values are ("L1..L3 voltage (V)"). */
  description: string;
}

export interface PanelMeter {
  readonly spec: MeterSpec;
  /** What the endpoints serve for this meter's unit id(s). */
  readonly device: ModbusDevice;
  /** The measurement source, for the startup summary ("synthetic:office (seed 3)"). */
  readonly sourceDescription: string;
  /** What to poll first (from the register map), if the device knows. */
  readonly probe?: RegisterProbe | undefined;
  /** The meter behind the device, for the control API (snapshot, events); absent for plain devices. */
  readonly commands?: MeterCommands | undefined;
  /** Physical scenarios (sag, load change, tamper ...) for the control API, when the source allows them. */
  readonly physical?: PhysicalTarget | undefined;
  /**
   * Called by the fleet ticker every interval. An eager meter advances to the clock's now (measure
   * one window, integrate it, refresh the register image); a lazy one only when a boundary it must
   * record (demand sub-period, profile interval, tariff switch, billing close) or a change of its
   * source (an event to record) has arrived: it is otherwise advanced when observed.
   */
  tick(): void;
  /**
   * A lazy meter: when it next wakes (panel clock, ms): its next boundary, or the first window after
   * a change of its source (Meter.wakeAtMs); the ticker skips it until then.
   */
  readonly dueAtMs?: (() => number) | undefined;
  /** A lazy meter: takes the ticker's listener, called when its due time moved earlier (a scenario begun, a command). */
  readonly onDueChanged?: ((listener: () => void) => void) | undefined;
  /** Persist now (resolves at once without a state directory). */
  flush(): Promise<void>;
  /** Persist and release resources (rejects when the last save fails). */
  close(): Promise<void>;
  /** The panel failed to start: release resources without persisting (a start that fails leaves nothing behind). */
  abandon?(): void;
}

export interface MeterFactoryContext {
  /** The panel's clock (real time, or simulated at `speed`). */
  clock: PanelClock;
  /** Simulated speed (1 = real time); a persisted simulated meter resumes at its own stored time. */
  speed: number;
  logger: Logger;
  /** The fleet ticker's interval (ms): a lazy meter catches up as if ticked this often. Default 200. */
  tickMs?: number | undefined;
  /** Build lazy meters where the source allows it (default false for a factory called directly). */
  lazy?: boolean | undefined;
  /**
   * The bound on the lazy meters that keep their caches, one per panel, sized by its fleet
   * (recentlyReadCapacity). Default: one shared by the process, of WHOLE_FLEET_CACHED_UP_TO.
   */
  recentlyRead?: RecentlyRead | undefined;
}

export type MeterFactory = (spec: MeterSpec, context: MeterFactoryContext) => PanelMeter | Promise<PanelMeter>;
