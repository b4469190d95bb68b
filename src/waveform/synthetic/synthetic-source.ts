/**
 * A synthetic three-phase source: samples on demand (SampleSource) from a scenario model and its
 * timeline of changes. The metrology layer measures it either from these samples or, for fleets,
 * analytically from the same timeline's phasors (src/metrology/phasor/), so run-time changes
 * (apply) reach both.
 */
import type { SampleBlock } from '../sample-block.js';
import { allocateSampleBlock } from '../sample-block-views.js';
import type { SampleSource } from '../sample-source.js';
import { generateSamplesInto } from './generate-samples.js';
import type { SyntheticModel } from './model.js';
import type { ScenarioChange } from './scenario-change.js';
import { ScenarioTimeline, type ScheduledChange } from './scenario-timeline.js';
import { scenarioByName, varyModel, type ScheduledEvent } from './scenarios.js';

export interface SyntheticSourceOptions {
  /** Samples per second (default 6400). */
  sampleRateHz?: number;
  /** Time of sample 0 on the caller's clock, e.g. the meter's start in Unix seconds (default 0). */
  originTimeS?: number;
  /** Per-meter variation seed (see varyModel); omitted: the scenario exactly as documented. */
  seed?: number;
  /** Add white Gaussian noise at this SNR (dB) per channel; its seed is `seed` (default 1). */
  noiseSnrDb?: number;
  /** Run the scenario on a 60 Hz (or other) network instead of 50 Hz. */
  nominalFrequencyHz?: number;
  /** false: no frequency drift (steady nominal frequency). */
  drift?: boolean;
}

export class SyntheticSource implements SampleSource {
  readonly lengthSamples = Number.POSITIVE_INFINITY;
  readonly sampleRateHz: number;
  readonly nominalFrequencyHz: number;
  readonly originTimeS: number;
  readonly timeline: ScenarioTimeline;

  constructor(
    model: SyntheticModel,
    readonly description: string,
    options: SyntheticSourceOptions = {},
    events: readonly ScheduledEvent[] = [],
  ) {
    const sampleRateHz = options.sampleRateHz ?? 6400;
    if (!(sampleRateHz > 0) || !Number.isFinite(sampleRateHz)) {
      throw new RangeError(`sample rate must be a positive number, got ${sampleRateHz}`);
    }
    let shaped = options.seed === undefined ? model : varyModel(model, options.seed);
    if (options.nominalFrequencyHz !== undefined) {
      shaped = { ...shaped, frequency: { ...shaped.frequency, nominalHz: options.nominalFrequencyHz } };
    }
    if (options.drift === false) shaped = { ...shaped, frequency: { ...shaped.frequency, driftAmplitudeHz: 0 } };
    if (options.noiseSnrDb !== undefined) {
      if (!Number.isFinite(options.noiseSnrDb)) throw new RangeError(`SNR must be finite, got ${options.noiseSnrDb}`);
      shaped = { ...shaped, noise: { snrDb: options.noiseSnrDb, seed: options.seed ?? 1 } };
    }
    this.sampleRateHz = sampleRateHz;
    this.nominalFrequencyHz = shaped.frequency.nominalHz;
    this.originTimeS = options.originTimeS ?? 0;
    this.timeline = new ScenarioTimeline(shaped);
    for (const e of events) this.timeline.add(e.change, e.atS, e.durationS, e.everyS);
  }

  /** A named scenario ('office', 'vsd', ...; see SCENARIO_NAMES). */
  static fromScenario(name: string, options: SyntheticSourceOptions = {}): SyntheticSource {
    const scenario = scenarioByName(name);
    const suffix = options.seed === undefined ? '' : ` (seed ${options.seed})`;
    return new SyntheticSource(scenario.model, `synthetic:${name}${suffix}`, options, scenario.events);
  }

  /** Samples [startSample, startSample + count) in fresh arrays; sample n is at originTimeS + n / rate. */
  read(startSample: number, count: number): SampleBlock {
    if (!Number.isInteger(startSample) || !Number.isInteger(count) || startSample < 0 || count < 0) {
      throw new RangeError(`${this.description}: read(${startSample}, ${count}) needs non-negative integers`);
    }
    const block = allocateSampleBlock(count, this.sampleRateHz, this.originTimeS + startSample / this.sampleRateHz);
    generateSamplesInto(this.timeline, this.sampleRateHz, startSample, block);
    return block;
  }

  /** Like read, into an existing block (reuses its arrays; block.length samples from startSample). */
  readInto(startSample: number, block: SampleBlock): void {
    generateSamplesInto(this.timeline, this.sampleRateHz, startSample, block);
  }

  /**
   * Change the scenario at `atTimeS` (caller's clock): permanently, or for `durationS` seconds
   * (then it ends by itself), optionally repeating every `everyS` seconds. Both the samples and
   * the phasor path (which reads this timeline) see the change. Throws RangeError on bad parameters.
   */
  apply(change: ScenarioChange, atTimeS: number, durationS?: number, everyS?: number): ScheduledChange {
    return this.timeline.add(change, atTimeS - this.originTimeS, durationS, everyS);
  }

  /** End a change made by `apply` at `atTimeS` (caller's clock), before its planned end. */
  end(change: ScheduledChange, atTimeS: number): void {
    this.timeline.end(change, atTimeS - this.originTimeS);
  }

  /** The model in force at `timeS` (caller's clock). */
  modelAt(timeS: number): SyntheticModel {
    return this.timeline.modelAt(timeS - this.originTimeS);
  }
}
