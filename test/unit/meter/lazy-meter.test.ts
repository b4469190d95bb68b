/**
 * A lazy meter (Meter.deferStart, then Meter.catchUp: advanced only when observed, skipping
 * steady windows, dropping its caches between observations) equals an eager meter ticked at every grid point and at every observation: every snapshot value to 1e-9
 * relative and every register of every profile's image byte for byte, over days of random
 * scenarios, scheduled changes and commands. Driven only by its own wake-ups (Meter.wakeAtMs), it
 * tells an event listener of the same records as the eager meter, at the same grid tick.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '../../support/fast-check-seed.js';
import { Meter } from '../../../src/meter/meter.js';
import type { MeterEventRecord } from '../../../src/meter/snapshot.js';
import { phasorMeasurementSource } from '../../../src/metrology/phasor/phasor-measurement-source.js';
import { loadRegisterMap, profileNames } from '../../../src/registers/profiles.js';
import { RegisterMapDevice } from '../../../src/registers/register-map-device.js';
import { decodeNumber } from '../../../src/registers/value-codec.js';
import type { ScenarioChange } from '../../../src/waveform/synthetic/scenario-change.js';
import { SCENARIO_NAMES } from '../../../src/waveform/synthetic/scenarios.js';
import { SyntheticSource } from '../../../src/waveform/synthetic/synthetic-source.js';

const START = Date.UTC(2026, 0, 30, 22, 17, 3); // a billing close (1 Feb 00:00) falls in the first days
const DAY_MS = 86_400_000;
const MAPS = profileNames().map((name) => ({ name, map: loadRegisterMap(name) }));

interface ScheduledTestChange {
  change: ScenarioChange;
  atS: number;
  durationS: number | undefined;
}

type Command = 'relay-open' | 'relay-close' | 'tamper-on' | 'tamper-off' | 'reset-demand' | 'profile-300' | 'nominal-260' | 'nominal-230' | 'none';

function meterOf(scenario: string, seed: number, changes: readonly ScheduledTestChange[], utcOffsetMinutes: number): Meter {
  const synthetic = SyntheticSource.fromScenario(scenario, { seed, originTimeS: START / 1000 });
  for (const c of changes) synthetic.apply(c.change, START / 1000 + c.atS, c.durationS);
  return new Meter({ source: phasorMeasurementSource(synthetic), configuration: { utcOffsetMinutes } });
}

function command(meter: Meter, what: Command): void {
  if (what === 'relay-open') meter.setRelay(false);
  else if (what === 'relay-close') meter.setRelay(true);
  else if (what === 'tamper-on') meter.setMagneticTamper(true);
  else if (what === 'tamper-off') meter.setMagneticTamper(false);
  else if (what === 'reset-demand') meter.resetDemand();
  else if (what === 'profile-300') meter.updateSettings({ profilePeriodS: 300 });
  else if (what === 'nominal-260') meter.updateSettings({ nominalVoltage: 260 });
  else if (what === 'nominal-230') meter.updateSettings({ nominalVoltage: 230 });
}

/** Every record a meter's event listener is told of, with the meter time of the tick or catch-up that told it. */
function listen(meter: Meter, now: () => number): { record: MeterEventRecord; atMs: number }[] {
  const told: { record: MeterEventRecord; atMs: number }[] = [];
  meter.setEventListener((record) => told.push({ record, atMs: now() }));
  return told;
}

/** Every number in `lazy` within 1e-9 relative of the same place in `eager`; everything else equal. */
function expectClose(lazy: unknown, eager: unknown, path: string): void {
  if (typeof eager === 'number' && typeof lazy === 'number') {
    const scale = Math.max(Math.abs(eager), Math.abs(lazy));
    if (!(Math.abs(lazy - eager) <= 1e-9 * scale + 1e-12 || (Number.isNaN(lazy) && Number.isNaN(eager)))) {
      expect.fail(`${path}: lazy ${lazy} != eager ${eager}`);
    }
    return;
  }
  if (eager !== null && typeof eager === 'object' && lazy !== null && typeof lazy === 'object') {
    const keys = new Set([...Object.keys(eager), ...Object.keys(lazy)]);
    for (const key of keys) {
      expectClose((lazy as Record<string, unknown>)[key], (eager as Record<string, unknown>)[key], `${path}.${key}`);
    }
    return;
  }
  expect(lazy, path).toEqual(eager);
}

/**
 * Every register of every profile decoded from both images: integer registers identical, float
 * registers within 1e-9 relative (a float's last bit may differ: a sum in fewer steps rounds once
 * less), bits identical.
 */
function expectSameRegisters(lazy: Meter, eager: Meter, label: string): void {
  for (const { name, map } of MAPS) {
    const lazyImages = new RegisterMapDevice(map, lazy).encodedImages();
    const eagerImages = new RegisterMapDevice(map, eager).encodedImages();
    for (const register of map.registers) {
      const a = lazyImages[register.space];
      const b = eagerImages[register.space];
      const at = a.byteOffsetOf(register.address);
      const where = `${label}: ${name} ${register.space} ${register.name}`;
      if (a.bytesPerAddress === 1 || register.type === 'string') {
        const bytes = register.length * a.bytesPerAddress;
        expect(a.bytes.subarray(at, at + bytes), where).toEqual(b.bytes.subarray(at, at + bytes));
        continue;
      }
      const x = decodeNumber(register.type, register.wordOrder, register.length, a.bytes, at);
      const y = decodeNumber(register.type, register.wordOrder, register.length, b.bytes, at);
      if (register.type.startsWith('f')) expectClose(x, y, where);
      else if (x !== y) expect.fail(`${where}: lazy ${x} != eager ${y}`);
    }
  }
}

function expectSame(lazy: Meter, eager: Meter, label: string): void {
  expectClose(lazy.snapshot(), eager.snapshot(), `${label} snapshot`);
  expectClose(lazy.profileRecords(), eager.profileRecords(), `${label} profile`);
  expectClose(lazy.eventRecords(), eager.eventRecords(), `${label} events`);
  for (let i = 0; i < 12; i += 1) expectClose(lazy.billingRecord(i), eager.billingRecord(i), `${label} billing ${i}`);
  expectSameRegisters(lazy, eager, label);
}

const changeArbitrary: fc.Arbitrary<ScenarioChange> = fc.oneof(
  fc.record({ kind: fc.constant('sag' as const), residual: fc.double({ min: 0.05, max: 0.85, noNaN: true }) }),
  fc.record({ kind: fc.constant('swell' as const), factor: fc.double({ min: 1.12, max: 1.3, noNaN: true }) }),
  fc.constant({ kind: 'interruption' as const }),
  fc.constant({ kind: 'phase-loss' as const, phase: 1 as const }),
  fc.constant({ kind: 'reverse-power' as const }),
  fc.record({ kind: fc.constant('frequency' as const), offsetHz: fc.double({ min: -0.5, max: 0.5, noNaN: true }) }),
  fc.constant({ kind: 'restore' as const }),
);

const scheduledArbitrary = (spanS: number): fc.Arbitrary<ScheduledTestChange> =>
  fc.record({
    change: changeArbitrary,
    atS: fc.double({ min: 0, max: spanS, noNaN: true }),
    durationS: fc.option(fc.double({ min: 0.05, max: 4000, noNaN: true }), { nil: undefined }),
  });

describe('lazy meter', () => {
  it('equals the eager meter at random observation times over days of random scenarios', () => {
    const spanMs = DAY_MS;
    fc.assert(
      fc.property(
        fc.constantFrom(...SCENARIO_NAMES),
        fc.integer({ min: 1, max: 1000 }),
        fc.constantFrom(2000, 5000, 6000),
        fc.constantFrom(0, 60, -330),
        fc.array(scheduledArbitrary(spanMs / 1000), { maxLength: 6 }),
        fc.array(
          fc.tuple(
            fc.integer({ min: 1, max: spanMs }),
            fc.constantFrom<Command>('none', 'none', 'none', 'relay-open', 'relay-close', 'tamper-on', 'tamper-off', 'reset-demand', 'profile-300'),
            fc.boolean(),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        (scenario, seed, gridMs, offset, changes, observations) => {
          const eager = meterOf(scenario, seed, changes, offset);
          const lazy = meterOf(scenario, seed, changes, offset);
          eager.tick(START);
          // The lazy meter starts without measuring (its first window is measured when first needed).
          lazy.deferStart(START);
          let t = START;
          const sorted = [...observations].sort((x, y) => x[0] - y[0]);
          for (const [offsetMs, what, release] of sorted) {
            const at = START + offsetMs;
            for (let g = (Math.floor(t / gridMs) + 1) * gridMs; g < at; g += gridMs) eager.tick(g);
            eager.tick(at);
            lazy.catchUp(at, gridMs);
            t = at;
            expectSame(lazy, eager, `${scenario} seed ${seed} grid ${gridMs} at +${offsetMs} ms`);
            command(eager, what);
            command(lazy, what);
            // A meter nobody reads drops its caches (model spectra, demand arrays): nothing observable changes.
            if (release) lazy.releaseCaches();
          }
        },
      ),
      { numRuns: 10 },
    );
  }, 120_000);

  it('driven only by its wake-ups, tells an event listener of the same records as the eager meter, at the same grid tick', () => {
    const spanMs = 2 * 3_600_000;
    fc.assert(
      fc.property(
        fc.constantFrom(...SCENARIO_NAMES),
        fc.integer({ min: 1, max: 1000 }),
        fc.constantFrom(200, 1000, 5000),
        fc.array(scheduledArbitrary(spanMs / 1000), { maxLength: 8 }),
        fc.array(
          fc.tuple(
            fc.integer({ min: 1, max: spanMs }),
            fc.constantFrom<Command>('relay-open', 'relay-close', 'tamper-on', 'tamper-off', 'reset-demand', 'nominal-260', 'nominal-230'),
          ),
          { maxLength: 6 },
        ),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (scenario, seed, gridMs, changes, commands, quietPhase) => {
          const eager = meterOf(scenario, seed, changes, 0);
          const lazy = meterOf(scenario, seed, changes, 0);
          // A fleet meter wakes for its quiet boundaries at its own phase: the events are the same.
          lazy.setQuietWakePhase(quietPhase);
          eager.tick(START);
          lazy.tick(START);
          let eagerAt = START;
          let lazyAt = START;
          const toldEager = listen(eager, () => eagerAt);
          const toldLazy = listen(lazy, () => lazyAt);
          const eagerTo = (toMs: number): void => {
            for (let g = (Math.floor(eagerAt / gridMs) + 1) * gridMs; g <= toMs; g += gridMs) {
              eagerAt = g;
              eager.tick(g);
            }
          };
          let wakeUps = 0;
          const lazyTo = (toMs: number): void => {
            for (let wake = lazy.wakeAtMs(gridMs); wake <= toMs; wake = lazy.wakeAtMs(gridMs)) {
              lazyAt = wake;
              lazy.catchUp(wake, gridMs);
              wakeUps += 1;
            }
          };
          // Commands on grid ticks: both meters are brought there (an observation), then commanded.
          const sorted = commands.map(([atMs, what]) => [Math.ceil((START + atMs) / gridMs) * gridMs, what] as const).sort((x, y) => x[0] - y[0]);
          for (const [at, what] of sorted) {
            eagerTo(at);
            lazyTo(at);
            if (lazy.timeMs !== at) {
              lazyAt = at;
              lazy.catchUp(at, gridMs);
            }
            command(eager, what);
            command(lazy, what);
          }
          const end = START + spanMs;
          eagerTo(end);
          lazyTo(end);
          const label = `${scenario} seed ${seed} grid ${gridMs}`;
          expect(toldLazy.map((t) => t.record), label).toEqual(toldEager.map((t) => t.record));
          expect(toldLazy.map((t) => t.atMs), `${label}: told at`).toEqual(toldEager.map((t) => t.atMs));
          // Lazy: a wake-up per boundary (5-minute sub-periods, 15-minute profile) and around each change, not per window.
          expect(wakeUps, label).toBeLessThanOrEqual(spanMs / 300_000 + 1 + 20 * (changes.length + commands.length) + 10 * (spanMs / 10_000) * Number(scenario === 'voltage-sag'));
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);

  it('wakes for a boundary that logs nothing at its quiet phase of the shortest period, for billing on time', () => {
    const meter = meterOf('balanced-resistive', 1, [], 0);
    meter.tick(START);
    const gridMs = 200;
    const boundary = meter.nextBoundaryMs;
    // 22:17:03 -> the 5-minute demand sub-period ends at 22:20:00.
    expect(boundary).toBe(Date.UTC(2026, 0, 30, 22, 20, 0));
    expect(meter.wakeAtMs(gridMs)).toBe(boundary);
    meter.setQuietWakePhase(0.5);
    // Half the shortest recording period (demand sub-period 300 s, profile 900 s): 150 s late.
    expect(meter.wakeAtMs(gridMs)).toBe(boundary + 150_000);
    // The billing close (1 Feb 00:00, it logs an event) is not delayed: caught up to just before it.
    const billing = Date.UTC(2026, 1, 1, 0, 0, 0);
    meter.catchUp(billing - 60_000, gridMs);
    expect(meter.wakeAtMs(gridMs)).toBe(billing);
    expect(() => meter.setQuietWakePhase(1)).toThrow(RangeError);
    expect(() => meter.setQuietWakePhase(-0.1)).toThrow(RangeError);
  });

  it('read once after 10 simulated days equals the eager meter, measuring a few windows per interval', () => {
    const gridMs = 5000;
    const changes: ScheduledTestChange[] = [
      { change: { kind: 'reverse-power' }, atS: 3 * 86_400 + 0.3, durationS: 7200 },
      { change: { kind: 'sag', residual: 0.5 }, atS: 5 * 86_400 + 17.1, durationS: 3 },
    ];
    const eager = meterOf('office', 7, changes, 60);
    const lazy = meterOf('office', 7, changes, 60);
    let lazyWindows = 0;
    const measureAt = lazy.source.measureAt.bind(lazy.source);
    lazy.source.measureAt = (timeS: number) => {
      lazyWindows += 1;
      return measureAt(timeS);
    };
    eager.tick(START);
    lazy.tick(START);
    const end = START + 10 * DAY_MS + 1234;
    for (let g = (Math.floor(START / gridMs) + 1) * gridMs; g < end; g += gridMs) eager.tick(g);
    eager.tick(end);
    lazy.catchUp(end, gridMs);
    expect(lazy.snapshot().energy.total.activeImportWh).toBeGreaterThan(0);
    expect(lazy.profileRecords().length).toBe(960);
    // Two or three windows per 5-minute sub-period (its first and last tick, the ones it is cut at), not 60.
    expect(lazyWindows).toBeLessThan((10 * DAY_MS) / 300_000 * 3);
    expect(lazy.eventRecords().map((e) => e.kind)).toEqual(eager.eventRecords().map((e) => e.kind));
    expect(lazy.eventRecords().some((e) => e.kind === 'reverse-power')).toBe(true);
    expectSame(lazy, eager, 'after 10 days');
  }, 120_000);
});
