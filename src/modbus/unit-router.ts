import type { ModbusDevice } from './device.js';

/** Unit ids a single device answers by default: 1, 0 (TCP "this device") and 255 (TCP "not used"). */
export const defaultSingleDeviceUnits: readonly number[] = [1, 0, 255];

/**
 * Which device answers which unit id. Single-device mode: one device on a few unit ids (1, 0, 255
 * by default). Gateway mode: many devices, one per unit id. `route` returns undefined for an absent
 * unit: Modbus/TCP answers exception 0x0B (gateway target failed to respond), a serial line stays
 * silent. Lookup is an array index (no Map hashing on the hot path).
 */
export class UnitRouter {
  private readonly devices: (ModbusDevice | undefined)[] = new Array<ModbusDevice | undefined>(256).fill(undefined);

  /** One device answering `units` (default 1, 0, 255). */
  static single(device: ModbusDevice, units: readonly number[] = defaultSingleDeviceUnits): UnitRouter {
    const router = new UnitRouter();
    for (const unit of units) router.set(unit, device);
    return router;
  }

  /** Gateway mode: unit id -> device. */
  static gateway(devices: ReadonlyMap<number, ModbusDevice> | Iterable<readonly [number, ModbusDevice]>): UnitRouter {
    const router = new UnitRouter();
    for (const [unit, device] of devices) router.set(unit, device);
    return router;
  }

  set(unit: number, device: ModbusDevice): void {
    if (!Number.isInteger(unit) || unit < 0 || unit > 255) throw new RangeError(`unit id ${unit} is outside 0..255`);
    this.devices[unit] = device;
  }

  delete(unit: number): void {
    if (unit >= 0 && unit <= 255) this.devices[unit] = undefined;
  }

  route(unit: number): ModbusDevice | undefined {
    return this.devices[unit & 0xff];
  }

  /** Unit ids that have a device, ascending. */
  units(): number[] {
    const result: number[] = [];
    for (let unit = 0; unit < 256; unit += 1) if (this.devices[unit] !== undefined) result.push(unit);
    return result;
  }
}
