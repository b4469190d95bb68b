/**
 * Run-time changes to a synthetic scenario (load steps, sags, swells, interruptions, phase loss,
 * reverse power, frequency deviation), as pure functions from one model to the next. The fault
 * injection layer schedules them on a SyntheticSource with `apply(change, atTimeS, durationS?)`.
 */
import type { Harmonic, PhaseIndex, PhaseSpec, SyntheticModel, WaveformSpec } from './model.js';

export type ScenarioChange =
  /** Change the load on the selected phases (default all). Unspecified fields keep their values. */
  | {
      readonly kind: 'load';
      readonly phases?: readonly PhaseIndex[];
      /** New fundamental current RMS (A). */
      readonly currentRms?: number;
      /** Multiply the fundamental current RMS by this factor (applied after currentRms). */
      readonly currentScale?: number;
      /** New displacement power factor magnitude cos(phi1), 0..1; the power direction is kept. */
      readonly powerFactor?: number;
      /** With powerFactor: leading (capacitive) instead of lagging (inductive). */
      readonly capacitive?: boolean;
      /** Replace the current harmonics. */
      readonly currentHarmonics?: readonly Harmonic[];
    }
  /** Scale the voltage of the selected phases (sag < 1, swell > 1); the current follows (constant impedance). */
  | { readonly kind: 'voltage'; readonly phases?: readonly PhaseIndex[]; readonly factor: number }
  /** Voltage sag to `residual` (ratio of the pre-sag voltage, e.g. 0.4). */
  | { readonly kind: 'sag'; readonly phases?: readonly PhaseIndex[]; readonly residual: number }
  /** Voltage swell by `factor` (e.g. 1.15). */
  | { readonly kind: 'swell'; readonly phases?: readonly PhaseIndex[]; readonly factor: number }
  /** Interruption: voltage and current zero on the selected phases (default all). */
  | { readonly kind: 'interruption'; readonly phases?: readonly PhaseIndex[] }
  /** Loss of one phase (voltage and current zero). */
  | { readonly kind: 'phase-loss'; readonly phase: PhaseIndex }
  /** Reverse the power flow on the selected phases (the current waveform is negated). */
  | { readonly kind: 'reverse-power'; readonly phases?: readonly PhaseIndex[] }
  /** Set the steady frequency deviation from nominal (Hz); the phase stays continuous. */
  | { readonly kind: 'frequency'; readonly offsetHz: number }
  /** Back to the scenario's base model (drops every earlier permanent change). */
  | { readonly kind: 'restore' };

const ALL_PHASES: readonly PhaseIndex[] = [0, 1, 2];

function onPhases(
  model: SyntheticModel,
  phases: readonly PhaseIndex[] | undefined,
  edit: (phase: PhaseSpec) => PhaseSpec,
): SyntheticModel {
  const selected = phases ?? ALL_PHASES;
  const next = model.phases.map((p, k) => (selected.includes(k as PhaseIndex) ? edit(p) : p));
  const [a, b, c] = next;
  if (a === undefined || b === undefined || c === undefined) throw new Error('three phases expected');
  return { ...model, phases: [a, b, c] };
}

function scaled(w: WaveformSpec, factor: number): WaveformSpec {
  return { ...w, rms: w.rms * factor, dcOffset: w.dcOffset * factor };
}

/** Negate a waveform: phi_1 + pi, and each harmonic's relative phase + (1 - h) * pi, DC negated. */
function negated(w: WaveformSpec): WaveformSpec {
  return {
    rms: w.rms,
    phaseRad: w.phaseRad + Math.PI,
    dcOffset: -w.dcOffset,
    harmonics: w.harmonics.map((h) => ({ ...h, phaseRad: h.phaseRad + (1 - h.order) * Math.PI })),
  };
}

function checkFactor(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
}

/** The model after one change. `base` is the scenario's unchanged model (for 'restore'). */
export function applyScenarioChange(model: SyntheticModel, change: ScenarioChange, base: SyntheticModel): SyntheticModel {
  switch (change.kind) {
    case 'load':
      return onPhases(model, change.phases, (p) => {
        let current = p.current;
        if (change.currentRms !== undefined) {
          checkFactor('currentRms', change.currentRms);
          current = { ...current, rms: change.currentRms };
        }
        if (change.currentScale !== undefined) {
          checkFactor('currentScale', change.currentScale);
          current = scaled(current, change.currentScale);
        }
        if (change.powerFactor !== undefined) {
          const pf = change.powerFactor;
          if (!(pf >= 0 && pf <= 1)) throw new RangeError(`powerFactor must be in 0..1, got ${pf}`);
          const exporting = Math.cos(p.voltage.phaseRad - current.phaseRad) < 0;
          const lag = (change.capacitive === true ? -1 : 1) * Math.acos(pf) + (exporting ? Math.PI : 0);
          current = { ...current, phaseRad: p.voltage.phaseRad - lag };
        }
        if (change.currentHarmonics !== undefined) current = { ...current, harmonics: change.currentHarmonics };
        return { ...p, current };
      });
    case 'voltage':
    case 'swell': {
      checkFactor('factor', change.factor);
      return onPhases(model, change.phases, (p) => ({
        voltage: scaled(p.voltage, change.factor),
        current: scaled(p.current, change.factor),
      }));
    }
    case 'sag':
      checkFactor('residual', change.residual);
      return onPhases(model, change.phases, (p) => ({
        voltage: scaled(p.voltage, change.residual),
        current: scaled(p.current, change.residual),
      }));
    case 'interruption':
      return onPhases(model, change.phases, (p) => ({ voltage: scaled(p.voltage, 0), current: scaled(p.current, 0) }));
    case 'phase-loss':
      return onPhases(model, [change.phase], (p) => ({ voltage: scaled(p.voltage, 0), current: scaled(p.current, 0) }));
    case 'reverse-power':
      return onPhases(model, change.phases, (p) => ({ ...p, current: negated(p.current) }));
    case 'frequency':
      if (!Number.isFinite(change.offsetHz)) throw new RangeError(`offsetHz must be finite, got ${change.offsetHz}`);
      return { ...model, frequency: { ...model.frequency, offsetHz: change.offsetHz } };
    case 'restore':
      return base;
  }
}

/** True when a change can move the frequency (so the phase integral must account for it). */
export function changesFrequency(change: ScenarioChange): boolean {
  return change.kind === 'frequency' || change.kind === 'restore';
}
