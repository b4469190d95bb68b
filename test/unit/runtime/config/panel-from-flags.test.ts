import { describe, expect, it } from 'vitest';
import { panelFromFlags } from '../../../../src/runtime/config/panel-from-flags.js';

describe('panelFromFlags', () => {
  it('one meter on 127.0.0.1:1502, unit 1, the scenario exactly (seed 0)', () => {
    const spec = panelFromFlags({});
    expect(spec.meters).toHaveLength(1);
    expect(spec.meters[0]).toMatchObject({ name: 'meter', profile: 'titan', source: 'synthetic:office', serialNumber: 24000001, seed: 0 });
    expect(spec.endpoints).toEqual([{ kind: 'tcp', host: '127.0.0.1', port: 1502, units: [{ unitId: 1, meter: 'meter' }], gateway: false }]);
  });

  it('--count N: N meters on consecutive ports, serials and seeds counting up', () => {
    const spec = panelFromFlags({ count: 3, tcp: '0.0.0.0:5020', serial: 100, state: '/var/lib/sm' });
    expect(spec.meters.map((m) => [m.name, m.serialNumber, m.seed, m.stateDir])).toEqual([
      ['meter-1', 100, 1, '/var/lib/sm/meter-1'],
      ['meter-2', 101, 2, '/var/lib/sm/meter-2'],
      ['meter-3', 102, 3, '/var/lib/sm/meter-3'],
    ]);
    expect(spec.endpoints.map((e) => (e.kind === 'tcp' ? [e.port, e.units[0]?.meter] : []))).toEqual([
      [5020, 'meter-1'],
      [5021, 'meter-2'],
      [5022, 'meter-3'],
    ]);
  });

  it('--count 500 --gateway: 247 unit ids per port, then the next port', () => {
    const spec = panelFromFlags({ count: 500, gateway: true, tcp: '127.0.0.1:1502' });
    expect(spec.endpoints.map((e) => (e.kind === 'tcp' ? [e.port, e.units.length, e.units[0]?.unitId, e.units.at(-1)?.unitId, e.gateway] : []))).toEqual([
      [1502, 247, 1, 247, true],
      [1503, 247, 1, 247, true],
      [1504, 6, 1, 6, true],
    ]);
    expect(spec.meters[499]?.name).toBe('meter-500');
  });

  it('--rtu with a unit list: one bus, each unit its own meter; the serial-line default 8E1 at 19200', () => {
    const spec = panelFromFlags({ rtu: '/dev/ttyUSB0', unit: [5, 6] });
    expect(spec.endpoints).toEqual([
      { kind: 'rtu', path: '/dev/ttyUSB0', baudRate: 19200, parity: 'even', stopBits: 1, responseDelayMs: 0, units: [{ unitId: 5, meter: 'meter-1' }, { unitId: 6, meter: 'meter-2' }] },
    ]);
  });

  it('refuses what cannot be served', () => {
    expect(() => panelFromFlags({ rtu: '/dev/ttyS0', count: 300 })).toThrow(/at most 247 meters/);
    expect(() => panelFromFlags({ count: 10, tcp: '127.0.0.1:65530' })).toThrow(/runs past port 65535/);
    expect(() => panelFromFlags({ rtu: '/dev/ttyS0', gateway: true })).toThrow(/--gateway needs --tcp/);
    expect(() => panelFromFlags({ unit: [1, 2], count: 3 })).toThrow(/lists 2 unit ids but --count is 3/);
    expect(() => panelFromFlags({ source: 'office' })).toThrow(/--source must be synthetic:SCENARIO/);
  });
});
