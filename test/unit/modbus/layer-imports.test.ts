/**
 * The Modbus layer stands on its own: nothing under src/modbus imports meter, register, waveform,
 * metrology or any other layer's code (relative imports stay inside src/modbus), and the only
 * packages it uses are Node's, zod (fault specs) and serialport.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const modbusRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src', 'modbus');
const allowedPackages = new Set(['zod', 'serialport']);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function importedSpecifiers(source: string): string[] {
  const specifiers: string[] = [];
  for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/g)) specifiers.push(match[1]);
  for (const match of source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) specifiers.push(match[1]);
  return specifiers;
}

describe('src/modbus imports', () => {
  it('stay inside src/modbus, apart from node:, zod and serialport', () => {
    const files = sourceFiles(modbusRoot);
    expect(files.length).toBeGreaterThan(40);
    const offenders: string[] = [];
    for (const file of files) {
      for (const specifier of importedSpecifiers(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('.')) {
          const target = relative(modbusRoot, resolve(dirname(file), specifier));
          if (target.startsWith('..')) offenders.push(`${relative(modbusRoot, file)} -> ${specifier}`);
        } else if (!specifier.startsWith('node:') && !allowedPackages.has(specifier)) {
          offenders.push(`${relative(modbusRoot, file)} -> ${specifier}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
