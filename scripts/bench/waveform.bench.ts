/**
 * Waveform sources: cost of one 200 ms window (10 cycles at 50 Hz) of 6 channels at 6.4 kS/s.
 * Peers in the same run:
 *  - synthetic samples via the angle-addition recurrence (ours) vs a naive generator calling
 *    Math.cos once per harmonic per channel per sample;
 *  - the phasor path (measureAt, no samples) vs generating the samples, and vs the same measurement
 *    computed without measureAt's per-model cache (measureTimelineWindow; identical results);
 *  - COMTRADE parsing (wisp-1 ASCII, wisp-3 BINARY) for reference.
 * Each figure is the best of 5 runs. Numbers on a shared 2-core machine are noisy; the lead re-measures.
 */
import { performance } from 'node:perf_hooks';
import { allocateSampleBlock } from '../../src/waveform/sample-block-views.js';
import { readComtrade } from '../../src/waveform/comtrade/record.js';
import { channelPhasors } from '../../src/waveform/synthetic/model.js';
import { measureTimelineWindow } from '../../src/metrology/phasor/measure-timeline-window.js';
import { phasorMeasurementSource } from '../../src/metrology/phasor/phasor-measurement-source.js';
import { SyntheticSource } from '../../src/waveform/synthetic/synthetic-source.js';
import { COMTRADE_DIR } from '../../test/support/shared-data.js';

/** Best of 5 runs (the least disturbed by other processes on a shared machine), us per call. */
function timeIt(label: string, iterations: number, run: (k: number) => void): number {
  for (let k = 0; k < iterations; k++) run(k); // warm-up (one full run: the JIT settles)
  let perCallUs = Number.POSITIVE_INFINITY;
  for (let repeat = 0; repeat < 5; repeat++) {
    const start = performance.now();
    for (let k = 0; k < iterations; k++) run(k);
    perCallUs = Math.min(perCallUs, ((performance.now() - start) * 1000) / iterations);
  }
  console.log(`${label.padEnd(58)} ${perCallUs.toFixed(1).padStart(9)} us/call`);
  return perCallUs;
}

const RATE = 6400;
const WINDOW = 1280;
const WINDOW_S = 0.2;
const results: string[] = [];

for (const scenario of ['balanced-resistive', 'office', 'vsd']) {
  const source = SyntheticSource.fromScenario(scenario, { sampleRateHz: RATE });
  const block = allocateSampleBlock(WINDOW, RATE, 0);
  const ours = timeIt(`${scenario}: readInto (recurrence)`, 400, (k) => source.readInto(k * WINDOW, block));

  // Naive peer: same model, Math.cos per harmonic per channel per sample, drift integrated the same way.
  const model = source.timeline.base;
  const specs = model.phases.flatMap((p) => [p.voltage, p.current]).map(channelPhasors);
  const out = Array.from({ length: 6 }, () => new Float64Array(WINDOW));
  const naive = timeIt(`${scenario}: naive Math.cos per harmonic`, 200, (k) => {
    for (let j = 0; j < WINDOW; j++) {
      const cycles = source.timeline.cyclesAt((k * WINDOW + j) / RATE);
      const theta = 2 * Math.PI * (cycles - Math.floor(cycles));
      specs.forEach((phasors, c) => {
        let x = 0;
        for (const p of phasors) x += Math.SQRT2 * p.rms * Math.cos(p.order * theta + p.phaseRad);
        out[c][j] = x;
      });
    }
  });
  const phasors = phasorMeasurementSource(source);
  const phasor = timeIt(`${scenario}: measureAt (phasor path, no samples)`, 10_000, (k) => phasors.measureAt(k * WINDOW_S));
  const uncached = timeIt(`${scenario}: measureTimelineWindow (phasor path uncached)`, 1000, (k) =>
    measureTimelineWindow(source.timeline, k * WINDOW_S, k * WINDOW_S),
  );
  results.push(
    `${scenario}: samples ${(WINDOW_S * 1e6 / ours).toFixed(0)}x real time, naive/ours ${(naive / ours).toFixed(1)}x, ` +
      `phasor path ${(WINDOW_S * 1e6 / phasor).toFixed(0)}x real time (${(ours / phasor).toFixed(1)}x cheaper than samples, ` +
      `${(uncached / phasor).toFixed(1)}x cheaper than uncached)`,
  );
}

const wisp1 = timeIt('COMTRADE wisp-1 (ASCII, 5316 x 19 ch) readComtrade', 5, () => readComtrade(`${COMTRADE_DIR}/wisp-1.cfg`));
const wisp3 = timeIt('COMTRADE wisp-3 (BINARY, 1360 x 88 ch) readComtrade', 20, () => readComtrade(`${COMTRADE_DIR}/wisp-3.cfg`));
results.push(`COMTRADE: wisp-1 ${(5316 / wisp1).toFixed(1)} samples/us, wisp-3 ${(1360 / wisp3).toFixed(1)} samples/us`);
console.log('\n' + results.join('\n'));
