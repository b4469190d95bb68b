/**
 * openMeasurementSource chooses the measurement path: a synthetic scenario goes the analytic
 * phasor path (no samples read), anything else the sample path.
 */
import { describe, expect, it } from 'vitest';
import { openMeasurementSource } from '../../../src/metrology/open-measurement-source.js';
import { PhasorMeasurementSource } from '../../../src/metrology/phasor/phasor-measurement-source.js';
import { BlockSampleSource } from '../../../src/waveform/block-source.js';
import { openWaveformSource } from '../../../src/waveform/open-waveform-source.js';
import { SyntheticSource } from '../../../src/waveform/synthetic/synthetic-source.js';

const ORIGIN = 1_700_000_000;

describe('openMeasurementSource', () => {
  it('a synthetic scenario: the phasor path, which never reads a sample', () => {
    const opened = openWaveformSource('synthetic:vsd', { seed: 2, originTimeS: ORIGIN });
    let reads = 0;
    const read = opened.source.read.bind(opened.source);
    opened.source.read = (start, count) => {
      reads += 1;
      return read(start, count);
    };
    const measured = openMeasurementSource(opened.source, { anchorTimeS: ORIGIN });
    expect(measured).toBeInstanceOf(PhasorMeasurementSource);
    expect(measured.description).toBe('synthetic:vsd (seed 2)');
    const window = measured.measureAt(ORIGIN + 1);
    expect(window.startTimeS).toBe(ORIGIN + 1);
    expect(window.cycles).toBe(10);
    expect(window.phases[0].currentThd).toBeGreaterThan(0.25);
    expect(reads).toBe(0);
  });

  it('the phasor path is anchored like the sample path: meter time anchorTimeS is the scenario time 0', () => {
    const source = SyntheticSource.fromScenario('voltage-sag', { originTimeS: 0 });
    const anchored = openMeasurementSource(source, { anchorTimeS: ORIGIN });
    const own = openMeasurementSource(SyntheticSource.fromScenario('voltage-sag', { originTimeS: ORIGIN }));
    for (const t of [0.5, 2.1, 5.3]) expect(anchored.measureAt(ORIGIN + t)).toStrictEqual(own.measureAt(ORIGIN + t));
  });

  it('a recording (any other SampleSource): the sample path', () => {
    const synthetic = SyntheticSource.fromScenario('balanced-resistive', { drift: false });
    const recording = new BlockSampleSource(synthetic.read(0, 6400), 'recording', 50);
    const measured = openMeasurementSource(recording);
    expect(measured).not.toBeInstanceOf(PhasorMeasurementSource);
    expect(measured.description).toMatch(/^recording \(looping, \d+ windows\)$/);
    const window = measured.measureAt(0.3);
    expect(window.cycles).toBe(10);
    expect(window.phases[1].voltageRms).toBeCloseTo(230, 3);
    expect(window.total.activePower).toBeCloseTo(6900, 0);
  });
});
