/**
 * A ModbusDevice over a compiled register map and a meter: reads copy from the register image
 * (refreshed from the meter's snapshot once per metrology window by refresh()); writes become
 * meter settings and commands through MeterCommands, or change the device's own state (log record
 * selection, unlock).
 *
 * Exceptions: a read touching an unmapped address -> 02 (unless the map fills that table with
 * zeros); a write to an unmapped or read-only address -> 02; a write covering part of a
 * multi-register value, a value outside its bounds, a wrong password, or a setting the meter
 * refuses (RangeError) -> 03; a protected register written while locked -> the map's
 * lockedException (03 by default); a command the meter could not persist -> 04.
 *
 * Password (the map's `security`): an unlock belongs to the session it was written on (one
 * Modbus/TCP connection; the whole bus on RTU, as on a real meter's RS485 port) and lasts the map's
 * `timeout` (titan 300 s, sdm630 60 s) on the device clock; writing 0 locks that session. After
 * MAX_WRONG_PASSWORDS wrong passwords in a row the meter refuses every unlock for
 * PASSWORD_LOCKOUT_S seconds of meter time, and logs a password-lockout event.
 */
import type { ModbusDevice } from '../modbus/device.js';
import type { RequestContext } from '../modbus/pdu/request-context.js';
import { ExceptionCode, ModbusError } from '../modbus/exception.js';
import type { MeterCommands } from '../meter/commands.js';
import type { MeterSettings, MeterSnapshot } from '../meter/snapshot.js';
import { compileMap, recycleCompiledMap, type CompiledMap } from './compile-map.js';
import { DeviceReadContext } from './device-read-context.js';
import type { Space } from './map-schema.js';
import { QUANTITIES } from './quantity-catalogue.js';
import type { ReadContext } from './read-context.js';
import { TEMPLATE } from './register-expansion.js';
import type { RegisterImage } from './register-image.js';
import type { MappedRegister, RegisterMap } from './register-map.js';
import { decodeNumber } from './value-codec.js';

export interface RegisterMapDeviceOptions {
  /** Clock for the unlock timeout and maxAgeMs (ms); default Date.now. */
  now?: () => number;
  /**
   * When set, a read finding the image older than this (ms) first refreshes it from
   * commands.snapshot() (for hosts that cannot call refresh() after every meter tick; 200 ms is
   * one metrology window). Unset (the default): the image changes only on refresh() and writes.
   */
  maxAgeMs?: number;
  /**
   * Called before every read (a lazy meter catches up here): true when the meter has moved since
   * the image was last encoded, which then refreshes it first. Unset: the image changes only on
   * refresh(), writes and maxAgeMs.
   */
  beforeRead?: () => boolean;
}

type WriteAction = { register: MappedRegister; value: number };

/** Wrong passwords in a row that lock the password out. */
export const MAX_WRONG_PASSWORDS = 5;
/** How long (meter time) unlocks are refused after MAX_WRONG_PASSWORDS wrong passwords. */
export const PASSWORD_LOCKOUT_S = 60;
/** The session of requests without one (the serial bus, direct calls). */
const BUS_SESSION = -1;


/** Wire value -> SI, snapping the rounding noise of a fractional scale (30 min / (1/60) -> 1800 s). */
function toSi(register: MappedRegister, wire: number): number {
  const si = (wire - register.offset) / register.scale;
  const nearest = Math.round(si);
  return Math.abs(si - nearest) <= 1e-9 * Math.max(1, Math.abs(si)) ? nearest : si;
}

export class RegisterMapDevice implements ModbusDevice {
  private compiledMap: CompiledMap | undefined;
  private readonly now: () => number;
  private readContext: DeviceReadContext | undefined;
  /** Per session: until when (device clock, ms) it is unlocked. */
  private readonly unlockedUntilMs = new Map<number, number>();
  private session = BUS_SESSION;
  private wrongPasswords = 0;
  /** Meter time (ms) until which unlocks are refused. */
  private lockedOutUntilMs = -Infinity;
  private refreshedAtMs = 0;
  private readonly maxAgeMs: number | undefined;
  private readonly beforeRead: (() => boolean) | undefined;
  /** Rendered from the context of the last refresh when first asked for after it (not on every tick). */
  private identificationObjects: Map<number, string> | undefined;

  constructor(
    readonly map: RegisterMap,
    private readonly commands: MeterCommands,
    options: RegisterMapDeviceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.maxAgeMs = options.maxAgeMs;
    this.beforeRead = options.beforeRead;
    // A lazy meter's device (beforeRead) holds no image and no snapshot until it is first read:
    // most of a 100,000-meter fleet may never be.
    if (this.beforeRead === undefined) this.refresh();
  }

  /** The images and encoders of this device (its images are allocated on first use). */
  get compiled(): CompiledMap {
    return (this.compiledMap ??= compileMap(this.map));
  }

  /** Every image with every register encoded from the present context (tests, diagnostics). */
  encodedImages(): Readonly<Record<Space, RegisterImage>> {
    this.refreshIfStale();
    this.compiled.refresh(this.context);
    return this.compiled.images;
  }

  /**
   * Drop the images and the context (they are rebuilt, from the meter, by the next read): a lazy
   * meter nobody has read lately holds no image. The selected event and profile records, unlocks
   * and the password lockout are the device's own state and stay.
   */
  release(): void {
    const c = this.readContext;
    if (c !== undefined) {
      this.selectedEvent = c.eventIndex;
      this.selectedProfile = c.profileIndex;
    }
    this.readContext = undefined;
    if (this.compiledMap !== undefined) recycleCompiledMap(this.compiledMap);
    this.compiledMap = undefined;
    this.identificationObjects = undefined;
  }

  private selectedEvent = 0;
  private selectedProfile = 0;

  /** What the registers are encoded from: built by the first refresh. */
  private get context(): ReadContext {
    return this.readContext ?? this.refreshed();
  }

  private refreshed(): ReadContext {
    this.refresh();
    if (this.readContext === undefined) throw new Error('refresh did not build the read context');
    return this.readContext;
  }

  /** Re-encode every register from a snapshot (call once per metrology window). */
  refresh(snapshot?: MeterSnapshot): void {
    const commands = this.commands;
    // A meter that says when it changes gives a live snapshot (its parts computed when an encoder
    // first reads them); refreshIfStale takes a new one as soon as the meter's state changes.
    if (snapshot === undefined && commands.liveSnapshot !== undefined && commands.stateVersion !== undefined) {
      snapshot = commands.liveSnapshot();
      this.snapshotVersion = commands.stateVersion;
    } else {
      snapshot ??= commands.snapshot();
      this.snapshotVersion = undefined;
    }
    this.useSnapshot(snapshot);
  }

  /** The meter's stateVersion when the live snapshot in the context was taken (undefined: a full snapshot). */
  private snapshotVersion: number | undefined;

  private useSnapshot(snapshot: MeterSnapshot): void {
    // The selected log records are looked up when an encoder first asks (device-read-context.ts).
    if (this.readContext === undefined) this.readContext = new DeviceReadContext(snapshot, this.selectedEvent, this.selectedProfile, this.commands);
    else this.readContext.renew(snapshot);
    // Registers are encoded from this context when read (encodeRange), not all of them now.
    this.compiled.invalidate();
    this.identificationObjects = undefined;
    if (this.maxAgeMs !== undefined) this.refreshedAtMs = this.now();
  }

  private refreshIfStale(): void {
    // beforeRead runs on every read (it is the lazy meter's catch-up), first.
    if (this.beforeRead?.() === true || this.readContext === undefined) this.refresh();
    else if (this.snapshotVersion !== undefined && this.snapshotVersion !== this.commands.stateVersion) this.refresh();
    else if (this.maxAgeMs !== undefined && this.now() - this.refreshedAtMs >= this.maxAgeMs) this.refresh();
    // The image shows whether settings are unlocked for the session reading it.
    const unlocked = this.isUnlocked();
    if (unlocked !== this.context.unlocked) {
      this.context.unlocked = unlocked;
      this.compiled.invalidate();
    }
  }

  beginRequest(context: RequestContext): void {
    this.session = context.session ?? BUS_SESSION;
  }

  readHoldingRegisters(address: number, quantity: number, target: Uint8Array, offset: number): void {
    this.readRegisters('holding', address, quantity, target, offset);
  }

  readInputRegisters(address: number, quantity: number, target: Uint8Array, offset: number): void {
    this.readRegisters('input', address, quantity, target, offset);
  }

  readCoils(address: number, quantity: number, target: Uint8Array, offset: number): void {
    this.readBits('coil', address, quantity, target, offset);
  }

  readDiscreteInputs(address: number, quantity: number, target: Uint8Array, offset: number): void {
    this.readBits('discrete', address, quantity, target, offset);
  }

  writeHoldingRegisters(address: number, values: Uint8Array): void {
    // A write is judged at the meter's present time (a lazy meter catches up first): the password
    // lockout runs on meter time.
    this.refreshIfStale();
    const quantity = values.length >> 1;
    const end = address + quantity;
    const layout = this.compiled.layouts.holding;
    const registers = this.map.registers;
    const actions: WriteAction[] = [];
    let unlockedInRequest = false;
    for (let a = address; a < end; ) {
      const index = layout.ownerAt(a);
      const register = index >= 0 ? registers[index] : undefined;
      if (register === undefined || register.access !== 'write') {
        throw new ModbusError(ExceptionCode.IllegalDataAddress, `holding ${a}: ${register === undefined ? 'not mapped' : `${register.name} is read-only`}`);
      }
      if (register.address < a || register.address + register.length > end) {
        throw new ModbusError(ExceptionCode.IllegalDataValue, `${register.name} must be written whole (${register.length} registers at ${register.address})`);
      }
      const wire = decodeNumber(register.type, register.wordOrder, register.length, values, (a - address) * 2);
      this.checkWrite(register, wire, unlockedInRequest);
      if (register.command === 'unlock' && wire !== 0) unlockedInRequest = true;
      actions.push({ register, value: wire });
      a += register.length;
    }
    this.apply(actions);
  }

  writeCoils(address: number, quantity: number, packed: Uint8Array): void {
    this.refreshIfStale();
    const layout = this.compiled.layouts.coil;
    const actions: WriteAction[] = [];
    for (let i = 0; i < quantity; i += 1) {
      const a = address + i;
      const index = layout.ownerAt(a);
      const register = index >= 0 ? this.map.registers[index] : undefined;
      if (register === undefined || register.access !== 'write') {
        throw new ModbusError(ExceptionCode.IllegalDataAddress, `coil ${a}: ${register === undefined ? 'not mapped' : `${register.name} is read-only`}`);
      }
      const bit = ((packed[i >> 3] as number) >> (i & 7)) & 1;
      this.checkWrite(register, bit, false);
      actions.push({ register, value: bit });
    }
    this.apply(actions);
  }

  identification(): ReadonlyMap<number, string> {
    this.refreshIfStale();
    return this.currentIdentification();
  }

  serverId(): Uint8Array {
    const id = this.currentIdentification().get(1) ?? this.map.profile;
    return Uint8Array.from(Buffer.from(id, 'latin1'));
  }

  private readRegisters(space: Space, address: number, quantity: number, target: Uint8Array, offset: number): void {
    this.refreshIfStale();
    const image = this.compiled.images[space];
    if (!image.readable(address, quantity)) {
      throw new ModbusError(ExceptionCode.IllegalDataAddress, `${space} ${address}..${address + quantity - 1} is not mapped`);
    }
    this.compiled.encodeRange(space, address, quantity, this.context);
    image.copyWords(address, quantity, target, offset);
  }

  private readBits(space: Space, address: number, quantity: number, target: Uint8Array, offset: number): void {
    this.refreshIfStale();
    const image = this.compiled.images[space];
    if (!image.readable(address, quantity)) {
      throw new ModbusError(ExceptionCode.IllegalDataAddress, `${space} ${address}..${address + quantity - 1} is not mapped`);
    }
    this.compiled.encodeRange(space, address, quantity, this.context);
    image.packBits(address, quantity, target, offset);
  }

  private isUnlocked(): boolean {
    const until = this.unlockedUntilMs.get(this.session);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    this.unlockedUntilMs.delete(this.session);
    return false;
  }

  /** Unlocks the current session; forgets expired unlocks of other sessions (closed connections). */
  private unlock(untilMs: number): void {
    const now = this.now();
    for (const [session, until] of this.unlockedUntilMs) if (until <= now) this.unlockedUntilMs.delete(session);
    this.unlockedUntilMs.set(this.session, untilMs);
  }

  /** Meter time (ms) of the latest snapshot: the clock of the password lockout. */
  private meterTimeMs(): number {
    return this.context.snapshot.timeMs;
  }

  private checkPassword(register: MappedRegister, wire: number, password: number): void {
    const now = this.meterTimeMs();
    if (now < this.lockedOutUntilMs) {
      throw new ModbusError(ExceptionCode.IllegalDataValue, `${register.name}: password locked out for ${Math.ceil((this.lockedOutUntilMs - now) / 1000)} s after ${MAX_WRONG_PASSWORDS} wrong attempts`);
    }
    if (wire === password) {
      this.wrongPasswords = 0;
      return;
    }
    this.wrongPasswords += 1;
    if (this.wrongPasswords >= MAX_WRONG_PASSWORDS) {
      this.wrongPasswords = 0;
      this.lockedOutUntilMs = now + PASSWORD_LOCKOUT_S * 1000;
      this.unlockedUntilMs.clear();
      this.commands.recordPasswordLockout?.(MAX_WRONG_PASSWORDS);
      throw new ModbusError(ExceptionCode.IllegalDataValue, `${register.name}: wrong password; ${MAX_WRONG_PASSWORDS} wrong in a row: unlocks refused for ${PASSWORD_LOCKOUT_S} s`);
    }
    throw new ModbusError(ExceptionCode.IllegalDataValue, `${register.name}: wrong password`);
  }

  private checkWrite(register: MappedRegister, wire: number, unlockedInRequest: boolean): void {
    if (register.min !== undefined && register.max !== undefined && (!(wire >= register.min) || !(wire <= register.max))) {
      throw new ModbusError(ExceptionCode.IllegalDataValue, `${register.name}: ${wire} outside ${register.min}..${register.max}`);
    }
    const security = this.map.security;
    if (register.command === 'unlock' && security !== undefined && wire !== 0) this.checkPassword(register, wire, security.password);
    if (register.protected && !unlockedInRequest && !this.isUnlocked()) {
      const code = security?.lockedException ?? ExceptionCode.IllegalDataValue;
      throw new ModbusError(code as ExceptionCode, `${register.name} is protected: write the password to the unlock register first`);
    }
  }

  /** Apply validated writes: settings as one change, then commands; then refresh the image. */
  private apply(actions: readonly WriteAction[]): void {
    const change: Partial<MeterSettings> = {};
    let hasChange = false;
    try {
      for (const { register, value } of actions) {
        if (register.setting !== undefined) {
          Object.assign(change, register.setting.toChange(toSi(register, value)));
          hasChange = true;
        }
      }
      if (hasChange) this.commands.updateSettings(change);
    } catch (error) {
      if (error instanceof RangeError) throw new ModbusError(ExceptionCode.IllegalDataValue, error.message);
      throw new ModbusError(ExceptionCode.ServerDeviceFailure, error instanceof Error ? error.message : String(error));
    }
    try {
      this.runCommands(actions);
    } catch (error) {
      // The meter could not persist the command (its state directory failed): device failure.
      if (error instanceof ModbusError) throw error;
      throw new ModbusError(ExceptionCode.ServerDeviceFailure, error instanceof Error ? error.message : String(error));
    } finally {
      this.refresh();
    }
  }

  private runCommands(actions: readonly WriteAction[]): void {
    for (const { register, value } of actions) {
      const si = toSi(register, value);
      switch (register.command) {
        case undefined:
          break;
        case 'resetDemand':
          if (register.space !== 'coil' || value !== 0) this.commands.resetDemand();
          break;
        case 'resetEnergy':
          if (register.space !== 'coil' || value !== 0) this.commands.resetEnergy();
          break;
        case 'relay':
          this.commands.setRelay(value !== 0);
          break;
        case 'unlock': {
          const timeoutS = this.map.security?.timeoutS ?? 0;
          if (value === 0) this.unlockedUntilMs.delete(this.session);
          else this.unlock(this.now() + timeoutS * 1000);
          break;
        }
        case 'selectEvent':
          this.context.eventIndex = Math.round(si);
          break;
        case 'selectProfile':
          this.context.profileIndex = Math.round(si);
          break;
      }
    }
  }

  private currentIdentification(): Map<number, string> {
    return (this.identificationObjects ??= this.renderIdentification());
  }

  private renderIdentification(): Map<number, string> {
    const objects = new Map<number, string>();
    for (const { id, template } of this.map.identification) {
      objects.set(id, template.replace(TEMPLATE, (whole, name: string) => {
        const quantity = QUANTITIES.get(name);
        return quantity === undefined ? whole : String(quantity.get(this.context));
      }));
    }
    return objects;
  }
}
