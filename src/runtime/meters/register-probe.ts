/** The first block of live values of a register map, for the startup summary's mbpoll command. */
import type { MappedRegister, RegisterMap } from '../../registers/register-map.js';
import type { RegisterProbe } from '../panel-meter.js';

function mbpollType(register: MappedRegister): RegisterProbe['type'] | undefined {
  if (register.type === 'f32') return 'float';
  if ((register.type === 'i32' || register.type === 'u32') && register.length === 2) return 'int';
  if (register.type === 'i16' || register.type === 'u16') return 'int16';
  return undefined;
}

const probes = new WeakMap<RegisterMap, RegisterProbe | undefined>();

/** Computed once per loaded map (a fleet shares its map, and so its probe). */
export function registerProbe(map: RegisterMap): RegisterProbe | undefined {
  if (!probes.has(map)) probes.set(map, probeOf(map));
  return probes.get(map);
}

function probeOf(map: RegisterMap): RegisterProbe | undefined {
  for (const table of ['input', 'holding'] as const) {
    const live = map.registers
      .filter((r) => r.space === table && r.source.kind === 'quantity' && mbpollType(r) !== undefined)
      .sort((a, b) => a.address - b.address);
    const first = live[0];
    if (first === undefined) continue;
    const type = mbpollType(first);
    if (type === undefined) continue;
    // mbpoll's -B is ABCD (high word first); its default is CDAB. Other orders: raw words.
    const ordered = type === 'int16' || first.wordOrder === 'ABCD' || first.wordOrder === 'CDAB';
    const run = [first];
    for (const next of live.slice(1)) {
      const previous = run[run.length - 1];
      if (run.length >= 6 || previous === undefined || next.address !== previous.address + previous.length) break;
      if (next.type !== first.type || next.wordOrder !== first.wordOrder) break;
      run.push(next);
    }
    const unit = first.unit === '' ? '' : ` (${first.unit})`;
    return {
      table,
      address: first.address,
      count: ordered ? run.length : run.length * first.length,
      type: ordered ? type : 'int16',
      bigEndian: first.wordOrder === 'ABCD',
      description: `${run.map((r) => r.name).join(', ')}${unit}`,
    };
  }
  return undefined;
}
