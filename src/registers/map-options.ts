/** Option selection: each declared option's default, overridden by what the caller asked for. */
import type { RegisterMapFile } from './map-schema.js';
import type { MapProblems } from './map-problems.js';

export type MapOptions = Readonly<Record<string, string | number>>;

export function selectOptions(map: RegisterMapFile, requested: MapOptions, problems: MapProblems): Record<string, string | number> {
  const declared = map.options ?? {};
  const options: Record<string, string | number> = {};
  for (const [name, spec] of Object.entries(declared)) {
    if (!spec.values.includes(spec.default)) {
      problems.at(['options', name, 'default'], `default ${spec.default} is not one of ${spec.values.join(', ')}`);
    }
    options[name] = spec.default;
  }
  for (const [name, value] of Object.entries(requested)) {
    const spec = declared[name];
    if (spec === undefined) {
      problems.at(['options'], `profile ${map.profile} has no option "${name}" (options: ${Object.keys(declared).join(', ') || 'none'})`);
      continue;
    }
    const match = spec.values.find((v) => String(v) === String(value));
    if (match === undefined) {
      problems.at(['options', name], `option ${name}=${value} is not one of ${spec.values.join(', ')}`);
      continue;
    }
    options[name] = match;
  }
  return options;
}
