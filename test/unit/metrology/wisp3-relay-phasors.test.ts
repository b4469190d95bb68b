/**
 * wisp-3 (GE C60 relay, 16 samples/cycle, nrates = 0) carries the relay's own phasor channels
 * beside its raw samples. Their magnitudes are RMS values in kV primary (the raw samples' peaks
 * are sqrt 2 times larger; a peak reading would put the ratio below near 1.414).
 *
 * Finding: on every steady window the relay's magnitudes are 0.63 % above the fundamental of the
 * recorded samples, the same ratio (0.9937) on all three phases and on the line-to-line channel,
 * and a plain 16-point DFT of the same samples (independent of this metrology) gives the same
 * 0.9937. So the recorded phasor channels and the recorded samples differ by a fixed gain
 * inside the relay (plausibly its decimation from 64 to 16 samples per cycle: a 4-sample average
 * has a gain of 0.9940 at the fundamental); our fundamental matches the samples to 0.01 % and
 * the relay's angles to 0.01 degree.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureBlock } from '../../../src/metrology/measure-block.js';
import { readComtrade } from '../../../src/waveform/comtrade/record.js';
import type { SampleBlock } from '../../../src/waveform/sample-block.js';
import { COMTRADE_DIR } from '../../support/shared-data.js';

/** The shared recordings (see their SOURCES.md); COMTRADE_DIR overrides. */
const dataDir = COMTRADE_DIR;
const record = readComtrade(join(dataDir, 'wisp-3.cfg'));

function channel(name: string): Float64Array {
  const index = record.config.analog.findIndex((c) => c.name.replace(/\s+/g, ' ').trim() === name);
  const values = record.analog[index];
  if (index < 0 || values === undefined) throw new Error(`wisp-3 has no channel ${name}`);
  return values;
}

const sampleRateHz = record.segments[0]?.rateHz ?? Number.NaN;
const block: SampleBlock = {
  sampleRateHz,
  startTimeS: 0,
  length: record.sampleCount,
  voltage: [channel('F5-VA'), channel('F6-VB'), channel('F7-VC')],
  current: [channel('F1-IA'), channel('F2-IB'), channel('F3-IC')],
};
const magnitudes = ['SRC 1 Vag Mag', 'SRC 1 Vbg Mag', 'SRC 1 Vcg Mag'].map(channel);
const angles = ['SRC 1 Vag Angle', 'SRC 1 Vbg Angle', 'SRC 1 Vcg Angle'].map(channel);

/** Mean of a relay channel over a window, and its spread (max - min) relative to the mean. */
function relayMean(values: Float64Array, startS: number, durationS: number): { mean: number; spread: number } {
  const from = Math.ceil(startS * sampleRateHz);
  const to = Math.floor((startS + durationS) * sampleRateHz);
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let n = from; n <= to; n++) {
    sum += values[n];
    min = Math.min(min, values[n]);
    max = Math.max(max, values[n]);
  }
  const mean = sum / (to - from + 1);
  return { mean, spread: (max - min) / mean };
}

describe('wisp-3: fundamental vs the relay recorded phasor channels', () => {
  const windows = measureBlock(block, { nominalFrequencyHz: 50 });

  it('finds the 16-samples-per-cycle record at 50 Hz and measures its pre-fault windows', () => {
    expect(sampleRateHz).toBeGreaterThan(799);
    expect(sampleRateHz).toBeLessThan(801);
    expect(windows.length).toBeGreaterThanOrEqual(2);
    expect(Math.abs(windows[0].frequencyHz - sampleRateHz / 16)).toBeLessThan(0.01);
  });

  it('agrees with the relay magnitudes (RMS, kV primary) to a fixed gain of 0.63 %, and with its angles', () => {
    let steady = 0;
    const ratios: number[] = [];
    for (const w of windows) {
      const relay = magnitudes.map((m) => relayMean(m, w.startTimeS, w.durationS));
      if (relay.some((r) => r.spread > 0.005)) continue; // the fault (phase B opens at 0.6 s)
      steady += 1;
      for (let p = 0; p < 3; p++) {
        const ours = w.phases[p].voltageHarmonics[1];
        const theirs = relay[p].mean * 1000;
        const ratio = ours / theirs;
        ratios.push(ratio);
        // RMS, not peak: a peak reading would make the ratio about sqrt 2.
        expect(Math.abs(ratio - 1)).toBeLessThan(0.0075);
        // Relay angles are relative to its phase-A voltage, like ours.
        const relayAngle = relayMean(angles[p], w.startTimeS, w.durationS).mean;
        const oursDeg = (w.phases[p].voltageHarmonicPhases[1] * 180) / Math.PI;
        expect(Math.abs(oursDeg - relayAngle)).toBeLessThan(0.05);
      }
    }
    expect(steady).toBeGreaterThanOrEqual(2);
    // The same gain on every phase and window: a property of the recording, not of the metrology.
    expect(Math.max(...ratios) - Math.min(...ratios)).toBeLessThan(0.0005);
  });

  it('matches a plain 16-point DFT of the same samples (fs = 16 f) within 0.01 %', () => {
    const w = windows[0];
    const from = Math.ceil(w.startTimeS * sampleRateHz);
    for (let p = 0; p < 3; p++) {
      const x = block.voltage[p];
      let re = 0;
      let im = 0;
      for (let n = from; n < from + 160; n++) {
        re += x[n] * Math.cos((2 * Math.PI * n) / 16);
        im -= x[n] * Math.sin((2 * Math.PI * n) / 16);
      }
      const plain = (Math.SQRT2 * Math.hypot(re, im)) / 160;
      expect(Math.abs(w.phases[p].voltageHarmonics[1] / plain - 1)).toBeLessThan(1e-4);
    }
  });
});
