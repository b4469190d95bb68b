/**
 * The register-map profiles shipped in register-map/ (titan, sdm630, sunspec, em24 ...), found by
 * name. A profile is just register-map/<name>.yaml; a user's own map is loaded with loadMapFile.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMapFile, type MapOptions } from './load-map.js';
import { MapLoadError } from './map-load-error.js';
import type { RegisterMap } from './register-map.js';
import { unknownName } from '../common/name-suggestion.js';

/** register-map/ of the package (from src/registers or dist/registers alike). */
export const REGISTER_MAP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'register-map');

export function profileNames(): string[] {
  return readdirSync(REGISTER_MAP_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

export function profilePath(name: string): string {
  return join(REGISTER_MAP_DIR, `${name}.yaml`);
}

export function loadRegisterMap(name: string, options: MapOptions = {}): RegisterMap {
  const names = profileNames();
  if (!names.includes(name)) {
    throw new MapLoadError([{ file: 'register-map', line: 0, field: '', message: unknownName('profile', name, names) }]);
  }
  const path = profilePath(name);
  return loadMapFile(path, options, relative(join(REGISTER_MAP_DIR, '..'), path));
}
