import { describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { UnitRouter } from '../../../src/modbus/unit-router.js';

describe('UnitRouter', () => {
  it('single mode answers units 1, 0 and 255 by default and nothing else', () => {
    const d = new MemoryDevice();
    const router = UnitRouter.single(d);
    expect(router.units()).toEqual([0, 1, 255]);
    expect(router.route(1)).toBe(d);
    expect(router.route(0)).toBe(d);
    expect(router.route(255)).toBe(d);
    expect(router.route(2)).toBeUndefined();
  });

  it('single mode takes other unit ids', () => {
    const d = new MemoryDevice();
    expect(UnitRouter.single(d, [17]).units()).toEqual([17]);
  });

  it('gateway mode routes each unit to its own device', () => {
    const a = new MemoryDevice();
    const b = new MemoryDevice();
    const router = UnitRouter.gateway(new Map([[3, a], [200, b]]));
    expect(router.route(3)).toBe(a);
    expect(router.route(200)).toBe(b);
    expect(router.route(1)).toBeUndefined();
    router.delete(3);
    expect(router.route(3)).toBeUndefined();
    expect(() => router.set(256, a)).toThrow(/outside 0..255/);
  });
});
