/**
 * Named scenarios: a base model plus scheduled events, and a seeded per-meter variation.
 * Voltages are 230 V phase-to-neutral (400 V line-to-line), 50 Hz with a slow drift of
 * +-0.02 Hz over 120 s, phase sequence L1 0 deg, L2 -120 deg, L3 +120 deg. "PF" below is the
 * displacement power factor cos(phi1); harmonic ratios are of the fundamental.
 */
import { degrees, type Harmonic, type PhaseSpec, type SyntheticModel, type WaveformSpec } from './model.js';
import type { ScenarioChange } from './scenario-change.js';
import { SequentialRandom } from '../../common/seeded-random.js';
import { unknownName } from '../../common/name-suggestion.js';

export interface ScheduledEvent {
  readonly change: ScenarioChange;
  /** Seconds after the source's origin. */
  readonly atS: number;
  /** Omitted: permanent. */
  readonly durationS?: number;
  /** Repeat period (temporary events only). */
  readonly everyS?: number;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly model: SyntheticModel;
  readonly events: readonly ScheduledEvent[];
}

const PHASE_ANGLES = [0, degrees(-120), degrees(120)] as const;

function harmonics(list: readonly [order: number, ratio: number, phaseDeg: number][]): Harmonic[] {
  return list.map(([order, ratio, phaseDeg]) => ({ order, ratio, phaseRad: degrees(phaseDeg) }));
}

interface PhaseLoad {
  voltageRms: number;
  currentRms: number;
  /** Displacement angle phi1 = angle(U1) - angle(I1), degrees; positive lagging (inductive); add 180 for export. */
  lagDeg: number;
  voltageHarmonics?: Harmonic[];
  currentHarmonics?: Harmonic[];
  currentDc?: number;
}

function phase(k: 0 | 1 | 2, load: PhaseLoad): PhaseSpec {
  const angle = PHASE_ANGLES[k];
  const voltage: WaveformSpec = {
    rms: load.voltageRms,
    phaseRad: angle,
    harmonics: load.voltageHarmonics ?? [],
    dcOffset: 0,
  };
  const current: WaveformSpec = {
    rms: load.currentRms,
    phaseRad: angle - degrees(load.lagDeg),
    harmonics: load.currentHarmonics ?? [],
    dcOffset: load.currentDc ?? 0,
  };
  return { voltage, current };
}

function balanced(load: PhaseLoad): SyntheticModel {
  return { frequency: FREQUENCY, phases: [phase(0, load), phase(1, load), phase(2, load)] };
}

const FREQUENCY = { nominalHz: 50, offsetHz: 0, driftAmplitudeHz: 0.02, driftPeriodS: 120 } as const;

function lagFromPf(pf: number): number {
  return (Math.acos(pf) * 180) / Math.PI;
}

const OFFICE_VOLTAGE = harmonics([[3, 0.008, 0], [5, 0.025, 180], [7, 0.01, 0]]);
const DRIVE_VOLTAGE = harmonics([[5, 0.035, 180], [7, 0.02, 0]]);

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'balanced-resistive',
    description: 'balanced resistive load: 230 V, 10 A per phase, PF 1, no harmonics (6.9 kW)',
    model: balanced({ voltageRms: 230, currentRms: 10, lagDeg: 0 }),
    events: [],
  },
  {
    name: 'office',
    description:
      'office building: 230 V (U3 0.8 %, U5 2.5 %, U7 1 %), 20 A per phase, PF 0.92 inductive, ' +
      'current I3 20 %, I5 10 %, I7 5 %, I9 3 % (computer supplies and lighting; triplens load the neutral)',
    model: balanced({
      voltageRms: 230,
      currentRms: 20,
      lagDeg: lagFromPf(0.92),
      voltageHarmonics: OFFICE_VOLTAGE,
      currentHarmonics: harmonics([[3, 0.2, 180], [5, 0.1, 0], [7, 0.05, 180], [9, 0.03, 0]]),
    }),
    events: [],
  },
  {
    name: 'vsd',
    description:
      'variable-speed drive (6-pulse rectifier): 230 V (U5 3.5 %, U7 2 %), 40 A per phase, PF 0.97 inductive, ' +
      'current I5 30 %, I7 15 %, I11 7 %, I13 5 %, I17 2 %, I19 1.5 % (THD 34.7 %)',
    model: balanced({
      voltageRms: 230,
      currentRms: 40,
      lagDeg: lagFromPf(0.97),
      voltageHarmonics: DRIVE_VOLTAGE,
      currentHarmonics: harmonics([[5, 0.3, 180], [7, 0.15, 180], [11, 0.07, 0], [13, 0.05, 0], [17, 0.02, 180], [19, 0.015, 180]]),
    }),
    events: [],
  },
  {
    name: 'solar-export',
    description:
      'rooftop solar exporting: 231 V, 18 A per phase flowing out (reverse power, PF -0.99, quadrant III: ' +
      'Q1 < 0), current I3 1.5 %, I5 2 %, I7 1 %, DC injection 20 mA',
    model: balanced({
      voltageRms: 231,
      currentRms: 18,
      lagDeg: 180 + lagFromPf(0.99),
      currentHarmonics: harmonics([[3, 0.015, 0], [5, 0.02, 180], [7, 0.01, 0]]),
      currentDc: 0.02,
    }),
    events: [],
  },
  {
    name: 'ev-charger',
    description:
      'EV charger, three-phase 16 A (11 kW): 230 V, PF 0.995 inductive, current I3 3 %, I5 4 %, I7 2 %, I11 1 %',
    model: balanced({
      voltageRms: 230,
      currentRms: 16,
      lagDeg: lagFromPf(0.995),
      currentHarmonics: harmonics([[3, 0.03, 0], [5, 0.04, 180], [7, 0.02, 0], [11, 0.01, 180]]),
    }),
    events: [],
  },
  {
    name: 'unbalanced',
    description:
      'unbalanced single-phase loads: L1 232 V 24 A PF 0.95 (rectifiers: I3 35 %, I5 20 %, I7 10 %), ' +
      'L2 228 V 6 A PF 0.7 (motor), L3 230 V 13 A PF 1 (heater); large neutral current',
    model: {
      frequency: FREQUENCY,
      phases: [
        phase(0, {
          voltageRms: 232,
          currentRms: 24,
          lagDeg: lagFromPf(0.95),
          currentHarmonics: harmonics([[3, 0.35, 180], [5, 0.2, 0], [7, 0.1, 180]]),
        }),
        phase(1, { voltageRms: 228, currentRms: 6, lagDeg: lagFromPf(0.7), currentHarmonics: harmonics([[3, 0.05, 0]]) }),
        phase(2, { voltageRms: 230, currentRms: 13, lagDeg: 0 }),
      ],
    },
    events: [],
  },
  {
    name: 'voltage-sag',
    description:
      'voltage sags: 230 V, 15 A per phase, PF 0.95 inductive; every 10 s from t = 2 s, L1 sags to 40 % and ' +
      'L2 to 70 % for 0.5 s (constant-impedance load: the current follows)',
    model: balanced({ voltageRms: 230, currentRms: 15, lagDeg: lagFromPf(0.95) }),
    events: [
      { change: { kind: 'sag', phases: [0], residual: 0.4 }, atS: 2, durationS: 0.5, everyS: 10 },
      { change: { kind: 'sag', phases: [1], residual: 0.7 }, atS: 2, durationS: 0.5, everyS: 10 },
    ],
  },
];

/** Names accepted by `scenarioByName` (and by 'synthetic:NAME'). */
export const SCENARIO_NAMES: readonly string[] = SCENARIOS.map((s) => s.name);

/** All scenarios, for listings and docs. */
export function listScenarios(): readonly Scenario[] {
  return SCENARIOS;
}

/** A scenario by name; throws a RangeError listing the known names. */
export function scenarioByName(name: string): Scenario {
  const found = SCENARIOS.find((s) => s.name === name);
  if (found === undefined) {
    throw new RangeError(unknownName('synthetic scenario', name, SCENARIO_NAMES, 'scenarios'));
  }
  return found;
}

/**
 * Per-meter variation: a deterministic function of (model, seed), so a fleet of N meters with
 * seeds 1..N shows N different loads. Changes: one load scale for all phases in [0.5, 1.5) times
 * a per-phase factor in [0.9, 1.1); the displacement angle moved by up to +-5 degrees (never across
 * 90 degrees, so import stays import and export stays export); the voltage scaled by [0.98, 1.02);
 * every harmonic ratio scaled by [0.7, 1.3); the drift's phase shifted (by moving the drift period
 * within [100, 140) s). Noise, when present, gets a seed derived from `seed`.
 */
export function varyModel(model: SyntheticModel, seed: number): SyntheticModel {
  const random = new SequentialRandom(seed);
  const loadScale = random.between(0.5, 1.5);
  const voltageScale = random.between(0.98, 1.02);
  const varyHarmonics = (list: readonly Harmonic[]): Harmonic[] =>
    list.map((h) => ({ ...h, ratio: h.ratio * random.between(0.7, 1.3) }));
  const phases = model.phases.map((p): PhaseSpec => {
    const scale = loadScale * random.between(0.9, 1.1);
    const lag = p.voltage.phaseRad - p.current.phaseRad;
    const cosLag = Math.cos(lag);
    let newLag = lag + degrees(random.between(-5, 5));
    // Keep the sign of cos(lag): power direction is part of the scenario.
    if (Math.sign(Math.cos(newLag)) !== Math.sign(cosLag) && cosLag !== 0) newLag = lag;
    return {
      voltage: {
        ...p.voltage,
        rms: p.voltage.rms * voltageScale,
        harmonics: varyHarmonics(p.voltage.harmonics),
      },
      current: {
        ...p.current,
        rms: p.current.rms * scale,
        dcOffset: p.current.dcOffset * scale,
        phaseRad: p.voltage.phaseRad - newLag,
        harmonics: varyHarmonics(p.current.harmonics),
      },
    };
  });
  const [a, b, c] = phases;
  return {
    frequency: { ...model.frequency, driftPeriodS: random.between(100, 140) },
    phases: [a, b, c],
    ...(model.noise ? { noise: { ...model.noise, seed: Math.floor(random.next() * 2 ** 31) } } : {}),
  };
}

export interface BalancedModelParameters {
  /** Actual fundamental frequency (default 50 Hz). */
  frequencyHz?: number;
  /** Nominal frequency (default 50 below 55 Hz, else 60): decides 10 or 12 cycles per window. */
  nominalHz?: number;
  /** Fundamental RMS per phase (defaults 230 V, 10 A). */
  voltageRms?: number;
  currentRms?: number;
  /** cos(phi1) magnitude (default 1). */
  displacementPowerFactor?: number;
  /** Current leads the voltage (default lagging). */
  capacitive?: boolean;
  /** Power flows out (current reversed). */
  exporting?: boolean;
  voltageHarmonics?: readonly Harmonic[];
  currentHarmonics?: readonly Harmonic[];
  voltageDc?: number;
  currentDc?: number;
  /** Drift (default none). */
  driftAmplitudeHz?: number;
  driftPeriodS?: number;
}

/**
 * A balanced three-phase model (L1 0, L2 -120, L3 +120 degrees) for tests and custom sources, e.g.
 * `new SyntheticSource(balancedModel({ frequencyHz: 59.97, currentHarmonics: [...] }), 'test', { sampleRateHz: 7000 })`.
 */
export function balancedModel(parameters: BalancedModelParameters = {}): SyntheticModel {
  const frequencyHz = parameters.frequencyHz ?? 50;
  const nominalHz = parameters.nominalHz ?? (frequencyHz < 55 ? 50 : 60);
  const pf = parameters.displacementPowerFactor ?? 1;
  if (!(pf >= 0 && pf <= 1)) throw new RangeError(`displacementPowerFactor must be in 0..1, got ${pf}`);
  const lag = (parameters.capacitive === true ? -1 : 1) * Math.acos(pf) + (parameters.exporting === true ? Math.PI : 0);
  const phases = ([0, 1, 2] as const).map((k): PhaseSpec => ({
    voltage: {
      rms: parameters.voltageRms ?? 230,
      phaseRad: PHASE_ANGLES[k],
      harmonics: parameters.voltageHarmonics ?? [],
      dcOffset: parameters.voltageDc ?? 0,
    },
    current: {
      rms: parameters.currentRms ?? 10,
      phaseRad: PHASE_ANGLES[k] - lag,
      harmonics: parameters.currentHarmonics ?? [],
      dcOffset: parameters.currentDc ?? 0,
    },
  }));
  const [a, b, c] = phases;
  return {
    frequency: {
      nominalHz,
      offsetHz: frequencyHz - nominalHz,
      driftAmplitudeHz: parameters.driftAmplitudeHz ?? 0,
      driftPeriodS: parameters.driftPeriodS ?? 120,
    },
    phases: [a, b, c],
  };
}
