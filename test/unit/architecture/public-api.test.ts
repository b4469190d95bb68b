/**
 * The package's public API is deliberate: src/index.ts names every export (no `export *`), the
 * library's main entry points are there, and framer and kernel internals are not.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as submeter from '../../../src/index.js';

const indexText = readFileSync(new URL('../../../src/index.ts', import.meta.url), 'utf8');

describe('public API (src/index.ts)', () => {
  it('names every export', () => {
    expect(indexText).not.toMatch(/export \*/);
    expect(indexText).not.toMatch(/export type \*/);
  });

  it('offers the runtime, the layers and the Modbus seam a library user needs', () => {
    const names = Object.keys(submeter);
    for (const name of ['startPanel', 'readMeter', 'panelFromFlags', 'loadRegisterMap', 'RegisterMapDevice', 'Meter', 'ModbusTcpServer', 'UnitRouter', 'ModbusClient', 'openWaveformSource', 'measureWindow', 'openMeasurementSource', 'FaultController', 'createControlClient', 'SpecError', 'RunFailure']) {
      expect(names, name).toContain(name);
    }
  });

  it('keeps framer, kernel and schema internals out', () => {
    const names = Object.keys(submeter);
    for (const name of ['RtuRequestFramer', 'TcpConnection', 'functionShapes', 'NeedMoreBytes', 'KERNEL_TAPS', 'resampleChannels', 'mutateFrame', 'serveWithFault', 'registerEntrySchema', 'loadProfile']) {
      expect(names, name).not.toContain(name);
    }
    expect(names.length).toBeLessThan(150);
  });
});
