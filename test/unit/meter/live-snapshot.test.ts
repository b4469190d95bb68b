/**
 * The register device encodes from the meter's live snapshot (parts built when an encoder first
 * reads them) and takes a new one whenever Meter.stateVersion moves. Checked against the full
 * snapshot (Meter.snapshot, every part built at once): every register of every profile byte for
 * byte, at meter states reached by ticks and commands; and a command between two reads of the same
 * window is seen by the second read, as the full snapshot shows it.
 */
import { describe, expect, it } from 'vitest';
import type { MeterCommands } from '../../../src/meter/commands.js';
import { Meter } from '../../../src/meter/meter.js';
import { phasorMeasurementSource } from '../../../src/metrology/phasor/phasor-measurement-source.js';
import { loadRegisterMap, profileNames } from '../../../src/registers/profiles.js';
import { RegisterMapDevice } from '../../../src/registers/register-map-device.js';
import { SyntheticSource } from '../../../src/waveform/synthetic/synthetic-source.js';

const START = Date.UTC(2026, 5, 14, 9, 58, 20);

function meterOf(scenario: string, seed: number): Meter {
  const synthetic = SyntheticSource.fromScenario(scenario, { seed, originTimeS: START / 1000 });
  return new Meter({ source: phasorMeasurementSource(synthetic) });
}

/** The same meter seen only through snapshot() (no stateVersion, no liveSnapshot): full snapshots. */
function fullSnapshotsOf(meter: Meter): MeterCommands {
  return {
    snapshot: () => meter.snapshot(),
    updateSettings: (change) => meter.updateSettings(change),
    resetDemand: () => meter.resetDemand(),
    resetEnergy: () => meter.resetEnergy(),
    setRelay: (closed) => meter.setRelay(closed),
    eventRecord: (i) => meter.eventRecord(i),
    profileRecord: (i) => meter.profileRecord(i),
  };
}

function expectSameImages(meter: Meter, label: string): void {
  for (const name of profileNames()) {
    const map = loadRegisterMap(name);
    const live = new RegisterMapDevice(map, meter).encodedImages();
    const full = new RegisterMapDevice(map, fullSnapshotsOf(meter)).encodedImages();
    for (const space of ['coil', 'discrete', 'input', 'holding'] as const) {
      expect(Buffer.from(live[space].bytes).equals(Buffer.from(full[space].bytes)), `${label}: ${name} ${space}`).toBe(true);
    }
  }
}

function readFloat(device: RegisterMapDevice, address: number): number {
  const out = new Uint8Array(4);
  device.readInputRegisters(address, 2, out, 0);
  return Buffer.from(out).readFloatBE(0);
}

describe('live snapshot', () => {
  it('encodes every register of every profile as the full snapshot does', () => {
    for (const [scenario, seed] of [
      ['office', 3],
      ['solar-export', 11],
      ['voltage-sag', 5],
    ] as const) {
      const meter = meterOf(scenario, seed);
      let t = START;
      meter.tick(t);
      // Through demand and profile boundaries, a relay opening, a demand reset and a setting.
      for (let step = 1; step <= 40; step += 1) {
        t += 61_000;
        meter.tick(t);
        if (step === 7) meter.setRelay(false);
        if (step === 9) meter.setRelay(true);
        if (step === 23) meter.resetDemand();
        if (step === 31) meter.updateSettings({ nominalVoltage: 240 });
        if (step % 5 === 0) expectSameImages(meter, `${scenario} step ${step}`);
      }
    }
  });

  it('moves its version on every tick and accepted command, not on reads', () => {
    const meter = meterOf('office', 1);
    meter.tick(START);
    const v0 = meter.stateVersion;
    meter.snapshot();
    meter.liveSnapshot();
    meter.eventRecord(0);
    expect(meter.stateVersion).toBe(v0);
    meter.tick(START + 200);
    expect(meter.stateVersion).toBe(v0 + 1);
    meter.setRelay(true); // already closed: refused as no change
    expect(meter.stateVersion).toBe(v0 + 1);
    meter.resetDemand();
    expect(meter.stateVersion).toBe(v0 + 2);
  });

  it('shows a command given between two reads of the same window', () => {
    const meter = meterOf('office', 7);
    let t = START;
    meter.tick(t);
    for (let i = 0; i < 20; i += 1) meter.tick((t += 60_000));
    const device = new RegisterMapDevice(loadRegisterMap('sdm630'), meter);
    // sdm630 input 0x0056: maximum total system power demand (W).
    const before = readFloat(device, 0x56);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeCloseTo(meter.snapshot().demand.activeImport.max, 0);
    meter.resetDemand(); // no tick: the same window
    expect(readFloat(device, 0x56)).toBe(0);
    expect(meter.snapshot().demand.activeImport.max).toBe(0);
  });
});
