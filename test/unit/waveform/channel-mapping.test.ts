import { describe, expect, it } from 'vitest';
import { mapChannels } from '../../../src/waveform/comtrade/channel-mapping.js';
import type { ComtradeAnalogChannel } from '../../../src/waveform/comtrade/config.js';

function channels(list: [name: string, phase: string, unit: string][]): ComtradeAnalogChannel[] {
  return list.map(([name, phase, unit], k) => ({
    number: k + 1,
    name,
    phase,
    circuit: '',
    unit,
    multiplier: 1,
    offset: 0,
    skewS: 0,
    min: -1,
    max: 1,
    primary: 1,
    secondary: 1,
    recordedSide: 'P',
  }));
}

describe('channel-to-phase mapping', () => {
  it('maps the usual names', () => {
    const cases: [string[], string][] = [
      [['UA', 'UB', 'UC'], 'V'],
      [['VA', 'VB', 'VC'], 'V'],
      [['Va', 'Vb', 'Vc'], 'V'],
      [['SRC 1 Va', 'SRC 1 Vb', 'SRC 1 Vc'], 'kV'],
      [['U1', 'U2', 'U3'], 'V'],
      [['UL1', 'UL2', 'UL3'], 'V'],
      [['L1', 'L2', 'L3'], 'V'],
      [['F5-VAN', 'F6-VBN', 'F7-VCN'], 'V'],
    ];
    for (const [names, unit] of cases) {
      const m = mapChannels(channels(names.map((n) => [n, '', unit])));
      expect([m.slots.ua, m.slots.ub, m.slots.uc], names.join(',')).toEqual([0, 1, 2]);
    }
    const currents = mapChannels(channels([['IL3', '', 'A'], ['I1', '', 'A'], ['Ib', '', 'kA'], ['L1', '', 'A']]));
    expect(currents.slots).toMatchObject({ ia: 1, ib: 2, ic: 0 });
    expect(currents.notes.some((n) => n.includes("'L1' (channel 4) also looks like ia"))).toBe(true);
  });

  it('ignores zero-sequence, neutral-voltage and derived channels; IN is the neutral current', () => {
    const m = mapChannels(
      channels([
        ['3U0', '', 'V'],
        ['Vo', '', 'V'],
        ['VN', 'N', 'V'],
        ['3I0', '', 'A'],
        ['IG', 'G', 'A'],
        ['SRC 1 Vag Mag', '_', 'kV'],
        ['SRC 1 Vag Angle', '_', 'deg'],
        ['IN', '', 'A'],
      ]),
    );
    expect(m.slots).toEqual({ ua: undefined, ub: undefined, uc: undefined, ia: undefined, ib: undefined, ic: undefined, in: 7 });
    expect(m.notes).toContain('no voltage channels: voltages are zero');
  });

  it('falls back to the ph field with a V/A unit, never a numeric ph', () => {
    const m = mapChannels(channels([['CH1', 'A', 'V'], ['CH2', 'B', 'V'], ['CH3', 'C', 'V'], ['CH4', '7', 'A']]));
    expect(m.slots).toMatchObject({ ua: 0, ub: 1, uc: 2, ia: undefined });
    expect(m.notes.some((n) => n.includes("by its ph field 'A'"))).toBe(true);
  });

  it('derives phase voltages from line-to-line channels and says so', () => {
    const m = mapChannels(channels([['U21', '0', 'V'], ['U32', '1', 'V'], ['I1', '7', 'A']]));
    expect(m.derivedPhaseVoltages).toBe(true);
    expect(m.lineVoltages).toEqual({ u12: { index: 0, sign: -1 }, u23: { index: 1, sign: -1 } });
    expect(m.notes.some((n) => n.includes('assuming ua + ub + uc = 0'))).toBe(true);
  });

  it('lets the caller override by name or number, and rejects unknown channels', () => {
    const list = channels([['A', '', 'V'], ['B', '', 'V'], ['C', '', 'V'], ['IA', '', 'A']]);
    const m = mapChannels(list, { ua: 'A', ub: 2, uc: 'C', ia: null });
    expect(m.slots).toMatchObject({ ua: 0, ub: 1, uc: 2, ia: undefined });
    expect(() => mapChannels(list, { ib: 'nope' })).toThrow(/no analog channel of that name \(have: A, B, C, IA\)/);
    expect(() => mapChannels(list, { ib: 9 })).toThrow(/no analog channel number 9/);
  });
});
