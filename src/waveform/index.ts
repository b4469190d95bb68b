/** The waveform layer's public API (re-exported from src/index.ts). */
export type { SampleBlock } from './sample-block.js';
export type { SampleSource } from './sample-source.js';
export { checkReadRange } from './sample-source.js';
export {
  allocateSampleBlock,
  concatSampleBlocks,
  createSampleBlock,
  sliceSampleBlock,
  type ChannelTriple,
  type SampleBlockParts,
} from './sample-block-views.js';
export { BlockSampleSource } from './block-source.js';
export { LoopingSource, loopSource } from './looping-source.js';
export { WaveformFileError } from './waveform-file-error.js';
export { resampleUniform, type Interpolation } from './resample.js';
export { openWaveformSource, type OpenedWaveformSource, type WaveformSourceOptions } from './open-waveform-source.js';

export type {
  Harmonic,
  WaveformSpec,
  PhaseSpec,
  FrequencySpec,
  NoiseSpec,
  SyntheticModel,
  PhaseIndex,
} from './synthetic/model.js';
export type { ScenarioChange } from './synthetic/scenario-change.js';
export { applyScenarioChange } from './synthetic/scenario-change.js';
export { ScenarioTimeline, type ScheduledChange } from './synthetic/scenario-timeline.js';
export {
  SCENARIO_NAMES,
  balancedModel,
  listScenarios,
  scenarioByName,
  varyModel,
  type BalancedModelParameters,
  type Scenario,
  type ScheduledEvent,
} from './synthetic/scenarios.js';
export { SyntheticSource, type SyntheticSourceOptions } from './synthetic/synthetic-source.js';

export {
  parseComtradeConfig,
  type ComtradeConfig,
  type ComtradeAnalogChannel,
  type ComtradeDigitalChannel,
  type ComtradeSampleRate,
  type ComtradeRevision,
  type ComtradeFileType,
} from './comtrade/config.js';
export type { ComtradeDateTime } from './comtrade/date-time.js';
export { readComtrade, type ComtradeRecord, type ComtradeSegment, type ReadComtradeOptions, type ValueSide } from './comtrade/record.js';
export {
  mapChannels,
  type ChannelMapping,
  type ChannelMappingOverride,
  type ChannelSlot,
  type LineVoltageChannel,
} from './comtrade/channel-mapping.js';
export {
  ComtradeSource,
  openComtradeSource,
  recordToSampleBlock,
  type ComtradeSourceOptions,
} from './comtrade/comtrade-source.js';
export { CsvSource, openCsvSource, parseWaveformCsv, type CsvSourceOptions } from './csv/csv-source.js';
