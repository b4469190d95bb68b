/**
 * Meter benchmark: the cost of one tick (a measurement in, every register updated), of building a
 * snapshot, of a durable snapshot write (small and with a full 45-day profile), and how many
 * meters one core keeps at 5 ticks per second on the phasor path (target >= 5,000).
 * Peers in the same run: a plain float sum against the drift-free counter (the price of
 * exactness), and the phasor measurement itself (the test helper's and the metrology layer's
 * phasorMeasurementSource over a SyntheticSource, cached, next to the same measurement computed from scratch by
 * measureTimelineWindow) against the tick that consumes it.
 *
 * Run: node --import tsx scripts/bench/meter.bench.ts
 * Numbers on a shared 2-core machine are noisy; compare the ratios.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CounterBank } from '../../src/meter/counter-bank.js';
import { Meter } from '../../src/meter/meter.js';
import { encodeStateFile } from '../../src/meter/store/state-file-format.js';
import { FileStateStore } from '../../src/meter/store/file-state-store.js';
import type { MeasurementSource } from '../../src/metrology/measurement-source.js';
import { measureTimelineWindow } from '../../src/metrology/phasor/measure-timeline-window.js';
import { phasorMeasurementSource } from '../../src/metrology/phasor/phasor-measurement-source.js';
import { SyntheticSource } from '../../src/waveform/synthetic/synthetic-source.js';
import { balancedLoad, newHarmonicBuffers, phasorMeasurement, SettableSource } from '../../test/support/phasor-measurement.js';

const START = Date.UTC(2026, 0, 1);

function timeUs(label: string, iterations: number, body: (i: number) => void): number {
  for (let i = 0; i < Math.min(iterations, 10_000); i += 1) body(i); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) body(i);
  const us = Number(process.hrtime.bigint() - t0) / 1000 / iterations;
  console.log(`${label.padEnd(58)} ${us.toFixed(3).padStart(10)} us`);
  return us;
}

async function timeAsyncUs(label: string, iterations: number, body: () => Promise<void>): Promise<number> {
  await body();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) await body();
  const us = Number(process.hrtime.bigint() - t0) / 1000 / iterations;
  console.log(`${label.padEnd(58)} ${us.toFixed(1).padStart(10)} us`);
  return us;
}

console.log('-- accumulation (10 M additions) --');
const bank = new CounterBank(1);
const plain = new Float64Array(1);
const counterUs = timeUs('CounterBank.add (drift-free)', 10_000_000, () => bank.add(0, 0.1));
const plainUs = timeUs('plain float += on a Float64Array (peer)', 10_000_000, () => {
  plain[0] += 0.1;
});
// Both received 10,000 warm-up + 10,000,000 additions of 0.1: exactly 1,001,000.
console.log(
  `ratio counter / plain: ${(counterUs / plainUs).toFixed(2)}; error after 1.001e7 additions: plain ${(plain[0] - 1.001e6).toExponential(2)}, counter ${(bank.value(0) - 1.001e6).toExponential(2)}`,
);

console.log('-- one tick --');
const load = balancedLoad(230, 10, 0.3);
const fixed = phasorMeasurement(load, 0);
const fixedSource: MeasurementSource = { description: 'fixed', measureAt: () => fixed };
const fixedMeter = new Meter({ source: fixedSource });
const tickUs = timeUs('Meter.tick, precomputed measurement (200 ms step)', 1_000_000, (i) => fixedMeter.tick(START + i * 200));
const buffers = newHarmonicBuffers();
const phasorUs = timeUs('phasor measurement alone (peer)', 1_000_000, (i) => phasorMeasurement(load, i, buffers));
const phasorMeter = new Meter({ source: new SettableSource(load) });
const fullUs = timeUs('Meter.tick on the phasor path (measure + integrate)', 1_000_000, (i) => phasorMeter.tick(START + i * 200));
const ctMeter = new Meter({ source: new SettableSource(load), configuration: { ctRatio: 100 } });
const ctUs = timeUs('Meter.tick on the phasor path, CT ratio 100 (scaled copy)', 300_000, (i) => ctMeter.tick(START + i * 200));
const snapUs = timeUs('Meter.snapshot() (what the register layer reads)', 300_000, () => phasorMeter.snapshot());
console.log(`ratio tick / phasor measurement: ${(tickUs / phasorUs).toFixed(2)}`);

const officeSource = SyntheticSource.fromScenario('office', { originTimeS: START / 1000, seed: 1 });
const officePhasors = phasorMeasurementSource(officeSource);
const officeMeasureUs = timeUs('SyntheticSource office: measureAt alone (peer)', 200_000, (i) => officePhasors.measureAt(START / 1000 + i * 0.2));
const uncachedUs = timeUs('SyntheticSource office: uncached measureTimelineWindow (peer)', 20_000, (i) =>
  measureTimelineWindow(officeSource.timeline, i * 0.2, START / 1000 + i * 0.2),
);
console.log(`ratio uncached / cached measureAt: ${(uncachedUs / officeMeasureUs).toFixed(1)} (same results, bit for bit)`);
const officeMeter = new Meter({ source: phasorMeasurementSource(SyntheticSource.fromScenario('office', { originTimeS: START / 1000, seed: 2 })) });
const officeTickUs = timeUs('Meter.tick on SyntheticSource office (measure + integrate)', 200_000, (i) => officeMeter.tick(START + i * 200));
console.log(`ratio tick / measureAt: ${(officeTickUs / officeMeasureUs).toFixed(2)} (the meter's own work is the fixed-input tick above)`);

/** Tick a fleet round-robin at 200 ms steps (5 ticks/s); microseconds per meter tick. */
function fleetUs(fleet: Meter[], rounds: number, withSnapshot: boolean, fromRound: number): number {
  const t0 = process.hrtime.bigint();
  for (let r = fromRound; r < fromRound + rounds; r += 1)
    for (const m of fleet) {
      m.tick(START + r * 200);
      if (withSnapshot) m.snapshot();
    }
  return Number(process.hrtime.bigint() - t0) / 1000 / (rounds * fleet.length);
}

console.log('-- meters per core at 5 ticks/s --');
const METERS = 2000;
const TARGET_METERS_PER_CORE = 5000;
const report = (label: string, us: number): number => {
  const perCore = 1_000_000 / (5 * us);
  const verdict = perCore >= TARGET_METERS_PER_CORE ? 'met' : 'NOT met';
  console.log(
    `${label.padEnd(58)} ${us.toFixed(2).padStart(10)} us/tick -> ${Math.floor(perCore)} meters per core, ${(perCore / TARGET_METERS_PER_CORE).toFixed(2)}x the target ${TARGET_METERS_PER_CORE} (${verdict})`,
  );
  return perCore;
};
const helperFleet = Array.from({ length: METERS }, (_, k) => new Meter({ source: new SettableSource(balancedLoad(230, 5 + (k % 20), 0.1 * (k % 7))) }));
for (const m of helperFleet) m.tick(START);
fleetUs(helperFleet, 10, false, 1);
report(`${METERS} meters, test phasor helper`, fleetUs(helperFleet, 100, false, 11));
const scenarios = ['office', 'vsd', 'ev-charger', 'unbalanced', 'solar-export', 'voltage-sag'];
const syntheticFleet = Array.from(
  { length: METERS },
  (_, k) => new Meter({ source: phasorMeasurementSource(SyntheticSource.fromScenario(scenarios[k % scenarios.length], { originTimeS: START / 1000, seed: k + 1 })) }),
);
for (const m of syntheticFleet) m.tick(START);
fleetUs(syntheticFleet, 10, false, 1);
const syntheticPerCore = report(`${METERS} meters, SyntheticSource phasor path`, fleetUs(syntheticFleet, 100, false, 11));
report(`${METERS} meters, SyntheticSource + snapshot() per tick`, fleetUs(syntheticFleet, 100, true, 111));

console.log('-- snapshot write (atomic: temp, fsync, rename, fsync dir) --');
const dir = mkdtempSync(join(tmpdir(), 'submeter-bench-'));
try {
  const store = new FileStateStore(dir);
  const small = phasorMeter.exportState();
  // A meter with a full 45-day profile ring and a full event ring.
  const full = new Meter({ source: new SettableSource(load) });
  for (let t = START; t <= START + 46 * 86_400_000; t += 60_000) full.tick(t);
  for (let i = 0; i < 600; i += 1) full.resetDemand();
  const big = full.exportState();
  if (small === undefined || big === undefined) throw new Error('no state');
  const smallBytes = encodeStateFile(small).length;
  const bigBytes = encodeStateFile(big).length;
  timeUs(`encode (JSON + sha256), small state ${smallBytes} B`, 2000, () => encodeStateFile(small));
  timeUs(`encode (JSON + sha256), full state ${(bigBytes / 1e6).toFixed(2)} MB`, 50, () => encodeStateFile(big));
  await timeAsyncUs('save (async), small state', 100, () => store.save(small));
  await timeAsyncUs('save (async), full state', 30, () => store.save(big));
  timeUs('saveSync, small state', 100, () => store.saveSync(small));
  timeUs('saveSync, full state', 30, () => store.saveSync(big));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`summary: tick ${tickUs.toFixed(2)} us (fixed input), ${fullUs.toFixed(2)} us on the phasor path, CT-scaled ${ctUs.toFixed(2)} us, snapshot() ${snapUs.toFixed(2)} us`);
console.log(
  `summary: SyntheticSource measureAt ${officeMeasureUs.toFixed(2)} us (${(uncachedUs / officeMeasureUs).toFixed(1)}x cheaper than uncached); ${Math.floor(syntheticPerCore)} meters per core on SyntheticSource = ${(syntheticPerCore / TARGET_METERS_PER_CORE).toFixed(2)}x the target ${TARGET_METERS_PER_CORE}`,
);
