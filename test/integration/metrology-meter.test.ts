/**
 * The metrology feeding the real meter: a recorded waveform (written from phasors, so its energy
 * is known) through sampleMeasurementSource into src/meter's Meter, an hour of meter time.
 */
import { describe, expect, it } from 'vitest';
import { sampleMeasurementSource } from '../../src/metrology/sample-measurement-source.js';
import { Meter } from '../../src/meter/meter.js';
import { BlockSampleSource } from '../../src/waveform/block-source.js';
import { activePowerOf, distortedLoad, generateBlock } from '../support/reference-signals.js';
import type { PhaseSignals } from '../support/reference-signals.js';

const startMs = Date.UTC(2026, 0, 5, 12, 0, 0);

function hourOfEnergy(phases: [PhaseSignals, PhaseSignals, PhaseSignals]): { importWh: number; exportWh: number } {
  const block = generateBlock({ frequencyHz: 49.95, sampleRateHz: 6400, durationS: 1.3, phases });
  const source = sampleMeasurementSource(new BlockSampleSource(block, 'test:recording', 50), { anchorTimeS: startMs / 1000 });
  const meter = new Meter({ source });
  for (let ms = 0; ms <= 3_600_000; ms += 1000) meter.tick(startMs + ms);
  const total = meter.snapshot().energy.total;
  return { importWh: total.activeImportWh, exportWh: total.activeExportWh };
}

describe('metrology -> meter', () => {
  it('an hour of a looping recording registers P x 1 h of import energy', () => {
    const phases = distortedLoad(0.3);
    const power = phases.reduce((s, p) => s + activePowerOf(p), 0);
    const { importWh, exportWh } = hourOfEnergy(phases);
    expect(power).toBeGreaterThan(1000);
    expect(Math.abs(importWh / power - 1)).toBeLessThan(1e-4);
    expect(exportWh).toBe(0);
  });

  it('reverse power (solar export) goes to the export register', () => {
    const phases = distortedLoad(0.3).map((p): PhaseSignals => ({
      voltage: p.voltage,
      current: p.current.map((h) => ({ ...h, phase: h.phase + Math.PI })),
    })) as [PhaseSignals, PhaseSignals, PhaseSignals];
    const power = phases.reduce((s, p) => s + activePowerOf(p), 0);
    const { importWh, exportWh } = hourOfEnergy(phases);
    expect(power).toBeLessThan(-1000);
    expect(importWh).toBe(0);
    expect(Math.abs(exportWh / -power - 1)).toBeLessThan(1e-4);
  });
});
