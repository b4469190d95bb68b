/**
 * The names a meter spec gives that the default meter factory must know (a profile, a synthetic
 * scenario), checked before anything is built or created: a typo is a SpecError with the closest
 * known name ("did you mean"), not a failure half-way through starting a panel.
 */
import { profileNames } from '../../registers/profiles.js';
import { unknownName } from '../../common/name-suggestion.js';
import { SCENARIO_NAMES } from '../../waveform/synthetic/scenarios.js';
import type { MeterSpec, PanelSpec } from '../panel-spec.js';
import { DEMO_PROFILE } from './demo-meter-factory.js';

/** The problem with a profile name, or undefined when a shipped map (or `demo`, unless `withDemo` is false) has it. */
export function profileProblem(profile: string, withDemo = true): string | undefined {
  const known = withDemo ? [...profileNames(), DEMO_PROFILE] : profileNames();
  return known.includes(profile) ? undefined : unknownName('profile', profile, known);
}

/** The problem with a `synthetic:NAME` source's scenario name (files are opened, and reported, when the meter starts). */
export function sourceProblem(source: string): string | undefined {
  const scheme = /^([A-Za-z]{2,}):/.exec(source)?.[1]?.toLowerCase();
  if (scheme !== undefined && !SOURCE_KINDS.includes(scheme)) return unknownName('source kind', scheme, SOURCE_KINDS, 'kinds');
  const synthetic = /^synthetic:(.*)$/.exec(source);
  if (synthetic === null) return undefined;
  const name = synthetic[1] ?? '';
  return SCENARIO_NAMES.includes(name) ? undefined : unknownName('synthetic scenario', name, SCENARIO_NAMES, 'scenarios');
}

const SOURCE_KINDS: readonly string[] = ['synthetic', 'comtrade', 'csv'];

function where(spec: MeterSpec): string {
  return spec.origin === undefined ? `meter "${spec.name}"` : `${spec.origin.file}:${spec.origin.line}: meters.${spec.name}`;
}

/** One line per unknown profile or scenario name of the panel's meters. */
export function meterNameProblems(spec: PanelSpec): string[] {
  const problems: string[] = [];
  // A fleet repeats a few names: each distinct one is checked once.
  const profiles = new Map<string, string | undefined>();
  const sources = new Map<string, string | undefined>();
  const memo = (cache: Map<string, string | undefined>, key: string, check: (key: string) => string | undefined): string | undefined => {
    if (!cache.has(key)) cache.set(key, check(key));
    return cache.get(key);
  };
  for (const meter of spec.meters) {
    const profile = memo(profiles, meter.profile, (name) => profileProblem(name));
    if (profile !== undefined) problems.push(`${where(meter)}: ${profile}`);
    const source = meter.profile === DEMO_PROFILE ? undefined : memo(sources, meter.source, sourceProblem);
    if (source !== undefined) problems.push(`${where(meter)}: source "${meter.source}": ${source}`);
  }
  return problems;
}
