import { describe, expect, it } from 'vitest';
import { checkPanelSpec, panelSpecProblems } from '../../../src/runtime/check-panel-spec.js';
import { panelFromFlags } from '../../../src/runtime/config/panel-from-flags.js';
import { startPanel } from '../../../src/runtime/panel.js';
import type { PanelSpec } from '../../../src/runtime/panel-spec.js';
import { RunFailure, RuntimeError, SpecError } from '../../../src/runtime/runtime-error.js';
import { ConfigError } from '../../../src/runtime/config/config-error.js';

function twoMeters(): PanelSpec {
  const spec = panelFromFlags({ count: 2, gateway: true, tcp: '127.0.0.1:0' });
  return spec;
}

describe('checkPanelSpec: a library spec gets the config file\'s checks', () => {
  it('passes what flags build', () => {
    expect(panelSpecProblems(twoMeters())).toEqual([]);
    expect(panelSpecProblems(panelFromFlags({ rtu: '/dev/ttyUSB0', unit: [5, 6], rtuTcp: '127.0.0.1:5020' }))).toEqual([]);
  });

  it('names every problem: unknown meter, unit out of range, twice-bound unit, duplicate serial, unserved meter, bad speed', () => {
    const spec = twoMeters();
    const [first, second] = spec.meters;
    if (first === undefined || second === undefined) throw new Error('two meters expected');
    second.serialNumber = first.serialNumber;
    spec.speed = 0;
    spec.endpoints = [{ kind: 'tcp', host: '127.0.0.1', port: 1502, gateway: true, units: [{ unitId: 248, meter: 'meter-1' }, { unitId: 248, meter: 'nobody' }] }];
    expect(panelSpecProblems(spec)).toEqual([
      'speed must be a positive number, got 0',
      `meters.meter-2: serial number ${first.serialNumber} is already meter "meter-1"'s`,
      'endpoints.0: unit id 248 is outside 1..247 (gateway unit ids)',
      'endpoints.0: no meter named "nobody" (meters: meter-1, meter-2)',
      'endpoints.0: unit id 248 is outside 1..247 (gateway unit ids)',
      'endpoints.0: unit id 248 is bound twice',
      'meters.meter-2: meter "meter-2" is not served by any endpoint',
    ]);
    expect(() => checkPanelSpec(spec)).toThrow(new SpecError('speed must be a positive number, got 0 (and 6 more problems)'));
  });

  it('startPanel refuses a bad spec with a SpecError before building any meter', async () => {
    const spec = twoMeters();
    spec.endpoints = [];
    let built = 0;
    const attempt = startPanel(spec, {
      meterFactory: () => {
        built += 1;
        throw new Error('not reached');
      },
    });
    await expect(attempt).rejects.toBeInstanceOf(SpecError);
    expect(built).toBe(0);
  });

  it('an unknown profile or scenario is a SpecError with the closest name, before any meter is built', async () => {
    for (const [flags, message] of [
      [{ profile: 'sdm360' }, /^meter "meter": unknown profile "sdm360" \(did you mean "sdm630"\? profiles: /],
      [{ source: 'synthetic:ofice' }, /^meter "meter": source "synthetic:ofice": unknown synthetic scenario "ofice" \(did you mean "office"\?/],
    ] as const) {
      const failure = await startPanel(panelFromFlags({ tcp: '127.0.0.1:0', ...flags })).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(SpecError);
      expect((failure as SpecError).message).toMatch(message);
    }
  });

  it('a meter that cannot be built is a RunFailure naming the meter; errors carry their kind, not an exit code', async () => {
    const spec = panelFromFlags({ tcp: '127.0.0.1:0', source: 'comtrade:no-such-recording.cfg' });
    const failure = await startPanel(spec).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(RunFailure);
    expect((failure as RunFailure).message).toMatch(/^meter: source "comtrade:no-such-recording\.cfg": .*no-such-recording\.cfg/);
    expect((failure as RuntimeError).kind).toBe('run');
    expect(new ConfigError([{ file: 'panel.yaml', line: 3, field: 'meters', message: 'bad' }]).kind).toBe('spec');
    expect('exitCode' in (failure as object)).toBe(false);
  });
});

