/** Checks across the expanded registers: scale factors name sunssf registers, names are unique, nothing overlaps, identification names text quantities. */
import { SPACES, type RegisterMapFile } from './map-schema.js';
import type { MapProblems } from './map-problems.js';
import { QUANTITIES } from './quantity-catalogue.js';
import type { MappedRegister } from './register-map.js';
import { TEMPLATE } from './register-expansion.js';
import type { ExpandedRegisters } from './expand-registers.js';

/** Folds each sunssf exponent into the scale of the registers that name it. */
export function applyScaleFactors(expanded: ExpandedRegisters, problems: MapProblems): void {
  for (const { register, index } of expanded.scaledRegisters) {
    const sf = register.scaleFactor === undefined ? undefined : expanded.sunssfValues.get(register.scaleFactor);
    if (sf === undefined) {
      problems.inRegister(index, register.name, 'scaleFactor', `no sunssf register named "${register.scaleFactor}"`);
      continue;
    }
    register.scale *= 10 ** -sf;
  }
}

export function checkUniqueNames(registers: readonly MappedRegister[], problems: MapProblems): void {
  const byName = new Map<string, MappedRegister>();
  for (const r of registers) {
    const other = byName.get(r.name);
    if (other !== undefined) problems.onLine(r.line, r.name, 'name', `duplicate name (also on line ${other.line})`);
    byName.set(r.name, r);
  }
}

export function checkOverlaps(registers: readonly MappedRegister[], problems: MapProblems): void {
  for (const space of SPACES) {
    const inSpace = registers.filter((r) => r.space === space).sort((a, b) => a.address - b.address);
    for (let i = 1; i < inSpace.length; i += 1) {
      const prev = inSpace[i - 1] as MappedRegister;
      const cur = inSpace[i] as MappedRegister;
      if (cur.address < prev.address + prev.length) {
        problems.onLine(
          cur.line,
          cur.name,
          'address',
          `${space} ${cur.address}..${cur.address + cur.length - 1} overlaps "${prev.name}" (${prev.address}..${prev.address + prev.length - 1}, line ${prev.line})`,
        );
      }
    }
  }
}

/** Device-identification objects: id and text template, whose {quantities} must be known. */
export function identificationTemplates(map: RegisterMapFile, problems: MapProblems): Array<{ id: number; template: string }> {
  return (map.identification ?? []).map((o, i) => {
    for (const m of o.value.matchAll(TEMPLATE)) {
      if (QUANTITIES.get(m[1] ?? '') === undefined) problems.at(['identification', i, 'value'], `unknown quantity "${m[1]}"`);
    }
    return { id: o.id, template: o.value };
  });
}
