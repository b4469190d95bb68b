/**
 * The one entry point the CLI uses: a spec string to a SampleSource.
 *   synthetic:NAME   a named scenario (SCENARIO_NAMES); infinite
 *   comtrade:FILE    a .cfg (with its .dat) or a .cff
 *   csv:FILE         a CSV with time,ua,ub,uc,ia,ib,ic[,in]
 *   FILE             by extension: .cfg/.cff/.dat -> comtrade, .csv -> csv
 * Recorded sources are finite unless `loop: true` (then they repeat forever, clock running on).
 */
import { extname } from 'node:path';
import { openComtradeSource, type ComtradeSource, type ComtradeSourceOptions } from './comtrade/comtrade-source.js';
import { openCsvSource, type CsvSource, type CsvSourceOptions } from './csv/csv-source.js';
import { loopSource } from './looping-source.js';
import type { SampleSource } from './sample-source.js';
import { SyntheticSource, type SyntheticSourceOptions } from './synthetic/synthetic-source.js';

export interface WaveformSourceOptions extends SyntheticSourceOptions, ComtradeSourceOptions, CsvSourceOptions {
  /** Repeat a recorded source forever (synthetic sources are infinite anyway). */
  loop?: boolean;
}

export type OpenedWaveformSource =
  | {
      readonly kind: 'synthetic';
      /** Samples (infinite). */
      readonly source: SampleSource;
      /** The scenario (the same object as `source`): run-time changes; the metrology's phasor path. */
      readonly synthetic: SyntheticSource;
      readonly notes: readonly string[];
    }
  | {
      readonly kind: 'comtrade';
      readonly source: SampleSource;
      readonly recording: ComtradeSource;
      readonly notes: readonly string[];
    }
  | {
      readonly kind: 'csv';
      readonly source: SampleSource;
      readonly recording: CsvSource;
      readonly notes: readonly string[];
    };

/** Opens a waveform source; throws WaveformFileError for bad files, RangeError for a bad spec. */
export function openWaveformSource(spec: string, options: WaveformSourceOptions = {}): OpenedWaveformSource {
  const colon = spec.indexOf(':');
  const scheme = colon > 1 ? spec.slice(0, colon).toLowerCase() : '';
  const rest = colon > 1 ? spec.slice(colon + 1) : spec;
  let kind: 'synthetic' | 'comtrade' | 'csv';
  if (scheme === 'synthetic' || scheme === 'comtrade' || scheme === 'csv') kind = scheme;
  else {
    const extension = extname(spec).toLowerCase();
    if (extension === '.cfg' || extension === '.cff' || extension === '.dat') kind = 'comtrade';
    else if (extension === '.csv') kind = 'csv';
    else {
      throw new RangeError(`waveform source '${spec}': expected synthetic:NAME, comtrade:FILE, csv:FILE, or a .cfg/.cff/.csv file`);
    }
  }
  const path = scheme === kind ? rest : spec;
  if (kind === 'synthetic') {
    const synthetic = SyntheticSource.fromScenario(path, options);
    return { kind, source: synthetic, synthetic, notes: [] };
  }
  if (kind === 'comtrade') {
    const recording = openComtradeSource(path, options);
    return { kind, source: options.loop === true ? loopSource(recording) : recording, recording, notes: recording.notes };
  }
  const recording = openCsvSource(path, options);
  const notes = recording.resampled ? [`resampled to ${recording.sampleRateHz} Hz`] : [];
  return { kind, source: options.loop === true ? loopSource(recording) : recording, recording, notes };
}
