import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/runtime/config/config-error.js';
import { parsePanelConfig } from '../../../../src/runtime/config/load-panel-config.js';

const good = `
speed: 60
state: state
defaults: { profile: sdm630, settings: { demandPeriodS: 900 } }
meters:
  incomer: { profile: titan, source: "synthetic:balanced-resistive", serialNumber: 7, settings: { ctRatio: 80 } }
  tenant-1: { seed: 0 }
  pv: { source: "csv:recordings/pv.csv" }
endpoints:
  - tcp: 0.0.0.0:1502
    units: { 1: incomer }
  - tcp: 1503
    meters: [tenant-1, pv]
  - rtu: /dev/ttyUSB0
    baud: 9600
    parity: none
    units: { 11: pv }
  - rtuOverTcp: 127.0.0.1:1504
    units: { 3: tenant-1 }
`;

function problemsOf(text: string): string[] {
  try {
    parsePanelConfig(text, '/etc/panel.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.line} ${p.field}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('parsePanelConfig', () => {
  it('turns a panel into meters (defaults merged, serials and seeds by position, paths from the file) and endpoints', () => {
    const spec = parsePanelConfig(good, '/etc/submeter/panel.yaml');
    expect(spec.speed).toBe(60);
    expect(spec.meters.map((m) => [m.name, m.profile, m.serialNumber, m.seed])).toEqual([
      ['incomer', 'titan', 7, 1],
      ['tenant-1', 'sdm630', 24000002, 0],
      ['pv', 'sdm630', 24000003, 3],
    ]);
    expect(spec.meters[0]?.settings).toEqual({ demandPeriodS: 900, ctRatio: 80 });
    expect(spec.meters[2]?.source).toBe('csv:/etc/submeter/recordings/pv.csv');
    expect(spec.meters[1]?.source).toBe('synthetic:office');
    expect(spec.meters[0]?.stateDir).toBe('/etc/submeter/state/incomer');
    expect(spec.meters[0]?.origin).toEqual({ file: '/etc/submeter/panel.yaml', line: 6 });
    expect(spec.endpoints).toEqual([
      { kind: 'tcp', host: '0.0.0.0', port: 1502, units: [{ unitId: 1, meter: 'incomer' }], gateway: false, origin: { file: '/etc/submeter/panel.yaml', line: 10 } },
      { kind: 'tcp', host: '127.0.0.1', port: 1503, units: [{ unitId: 1, meter: 'tenant-1' }, { unitId: 2, meter: 'pv' }], gateway: true, origin: { file: '/etc/submeter/panel.yaml', line: 12 } },
      { kind: 'rtu', path: '/dev/ttyUSB0', baudRate: 9600, parity: 'none', stopBits: 1, responseDelayMs: 0, units: [{ unitId: 11, meter: 'pv' }], origin: { file: '/etc/submeter/panel.yaml', line: 14 } },
      { kind: 'rtu-over-tcp', host: '127.0.0.1', port: 1504, units: [{ unitId: 3, meter: 'tenant-1' }], origin: { file: '/etc/submeter/panel.yaml', line: 18 } },
    ]);
  });

  it('collects every problem with its line and field', () => {
    const text = [
      'meters:', //                                         1
      '  a: { serialNumber: 5, settings: { ctRatio: -1 } }', // 2
      '  b: { serialNumber: 5, source: "wav:x" }', //        3
      'endpoints:', //                                      4
      '  - tcp: 127.0.0.1:1502', //                         5
      '    units: { 1: a, 2: c }', //                       6
      '    gateway: false', //                              7
      '  - rtu: /dev/ttyS0', //                             8
      '    units: { 0: b }', //                             9
      '  - tcp: 127.0.0.1:1502', //                         10
      '    units: { 1: b }', //                             11
      '  - { udp: 1 }', //                                  12
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      '2 meters.a.settings.ctRatio: must be > 0',
      '3 meters.b.source: expected synthetic:SCENARIO, comtrade:FILE or csv:FILE',
    ]);
    const crossReferences = text.replace('ctRatio: -1', 'ctRatio: 1').replace('"wav:x"', '"synthetic:vsd"');
    expect(problemsOf(crossReferences)).toEqual([
      '3 meters.b.serialNumber: serial number 5 is already meter "a"\'s',
      '6 endpoints[0].units.2: no meter named "c" (meters: a, b)',
      '7 endpoints[0].gateway: several units on one TCP port need "gateway: true"',
      '9 endpoints[1].units.0: unit id 0 is outside 1..247 (RTU addresses; 0 is broadcast)',
      '10 endpoints[2]: port 1502 is already used by endpoints[0]',
      '12 endpoints[3]: an endpoint needs one of "tcp: HOST:PORT", "rtu: DEVICE", "rtuOverTcp: HOST:PORT" or "tls: HOST[:PORT]"',
    ]);
  });

  it('names a meter no endpoint serves, and YAML errors by line', () => {
    expect(problemsOf('meters:\n  a: {}\n  b: {}\nendpoints:\n  - tcp: 1\n    units: { 1: a }\n')).toEqual(['3 meters.b: meter "b" is not served by any endpoint']);
    expect(problemsOf('meters:\n  a: {\nendpoints: []\n')[0]).toMatch(/^3 : YAML: /);
  });

  it('formats the first problem as one line for the command line', () => {
    try {
      parsePanelConfig('meters: {}\nendpoints: []\n', 'panel.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe('panel.yaml:2: endpoints: a panel needs at least one endpoint');
    }
  });
});
