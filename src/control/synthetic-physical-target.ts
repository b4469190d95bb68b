/**
 * Physical scenarios on a synthetic source: each becomes a run-time change of the source's
 * scenario (the waveform layer's `apply`, time-bounded on the meter clock), so the samples and
 * the phasor path, hence the metrology and the event log, see it exactly like a recorded event.
 * Magnetic tamper and cover open are not on the wires: they go to the meter's injection.
 */
import type { ScenarioChange } from '../waveform/synthetic/scenario-change.js';
import type { PhaseIndex } from '../waveform/synthetic/model.js';
import { SyntheticSource } from '../waveform/synthetic/synthetic-source.js';
import type { PhysicalScenario } from './physical-scenario.js';
import type { PhysicalTarget } from './physical-target.js';

/** What the meter offers for events that are not on the wires (tamper switches). */
export interface TamperInjector {
  /** Raise (active = true) or clear a tamper condition at `atMs` (meter clock). */
  injectTamper(kind: 'magnetic-tamper' | 'cover-open', active: boolean, atMs: number): void;
}

/**
 * The meter's own injection methods as a TamperInjector. The meter dates the event with its
 * latest tick, so the logged time is within one tick of `atMs`.
 */
export function meterTamperInjector(meter: { setMagneticTamper(active: boolean): void; setCoverOpen(open: boolean): void }): TamperInjector {
  return {
    injectTamper(kind, active) {
      if (kind === 'magnetic-tamper') meter.setMagneticTamper(active);
      else meter.setCoverOpen(active);
    },
  };
}

function phases(phase: number | undefined): PhaseIndex[] | undefined {
  return phase === undefined ? undefined : [(phase - 1) as PhaseIndex];
}

/** The waveform change for a scenario on the wires. */
export function scenarioChange(scenario: Exclude<PhysicalScenario, { kind: 'magnetic-tamper' | 'cover-open' }>, nominalHz: number): ScenarioChange {
  switch (scenario.kind) {
    case 'load':
      return {
        kind: 'load',
        phases: phases(scenario.phase),
        currentRms: scenario.currentA,
        powerFactor: scenario.powerFactor === undefined ? undefined : Math.abs(scenario.powerFactor),
        capacitive: scenario.powerFactor === undefined ? undefined : scenario.powerFactor < 0,
        currentHarmonics: scenario.harmonics?.map((h) => ({ order: h.order, ratio: h.ratio, phaseRad: 0 })),
      };
    case 'sag':
      return { kind: 'sag', phases: phases(scenario.phase), residual: 1 - scenario.depth };
    case 'swell':
      return { kind: 'swell', phases: phases(scenario.phase), factor: 1 + scenario.rise };
    case 'interruption':
      return { kind: 'interruption', phases: phases(scenario.phase) };
    case 'phase-loss':
      return { kind: 'phase-loss', phase: (scenario.phase - 1) as PhaseIndex };
    case 'reverse-power':
      return { kind: 'reverse-power', phases: phases(scenario.phase) };
    case 'frequency':
      return { kind: 'frequency', offsetHz: scenario.hz - nominalHz };
  }
}

/**
 * Physical scenarios for one meter: changes on the wires need a synthetic source (undefined for a
 * recording: those scenarios are refused), tamper switches need the meter's injector.
 */
export function syntheticPhysicalTarget(source: SyntheticSource | undefined, tamper?: TamperInjector): PhysicalTarget {
  return {
    begin(scenario, startMs, endMs) {
      if (scenario.kind === 'magnetic-tamper' || scenario.kind === 'cover-open') {
        if (tamper === undefined) throw new RangeError(`this meter cannot inject ${scenario.kind}`);
        const kind = scenario.kind;
        tamper.injectTamper(kind, true, startMs);
        let ended = false;
        return (atMs) => {
          if (ended) return;
          ended = true;
          tamper.injectTamper(kind, false, endMs === undefined ? atMs : Math.min(atMs, endMs));
        };
      }
      if (source === undefined) throw new RangeError(`${scenario.kind} needs a synthetic source; this meter plays a recording`);
      const change = scenarioChange(scenario, source.nominalFrequencyHz);
      const durationS = endMs === undefined ? undefined : (endMs - startMs) / 1000;
      const handle = source.apply(change, startMs / 1000, durationS);
      return (atMs) => {
        if (endMs === undefined || atMs < endMs) source.end(handle, atMs / 1000);
      };
    },
  };
}

/**
 * The physical target for a served meter, whatever its source: a synthetic source (the object the
 * meter measures, directly or through the metrology's sample path) takes every scenario; any other
 * source (a recording) takes only tamper and cover open.
 */
export function physicalTargetFor(
  source: unknown,
  meter: { setMagneticTamper(active: boolean): void; setCoverOpen(open: boolean): void },
): PhysicalTarget {
  return syntheticPhysicalTarget(source instanceof SyntheticSource ? source : undefined, meterTamperInjector(meter));
}
