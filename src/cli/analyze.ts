/**
 * `submeter analyze FILE [--json] [--csv]`: what a meter would have registered for a recording.
 * Reads a COMTRADE (.cfg/.cff) or CSV recording (or a synthetic scenario for --duration seconds),
 * measures it window by window (10 cycles at 50 Hz, 12 at 60 Hz) and prints a per-window table
 * and a summary, or the same as JSON (--json) or CSV (--csv). Bad files: one line naming the
 * file, line and field on stderr, exit code 1.
 */
import { Command, InvalidArgumentError } from 'commander';
import { measureBlock } from '../metrology/measure-block.js';
import type { HarmonicMethod } from '../metrology/harmonic-spectrum.js';
import type { ChannelMappingOverride, ChannelSlot } from '../waveform/comtrade/channel-mapping.js';
import { openWaveformSource } from '../waveform/open-waveform-source.js';
import { analyzeCsv, analyzeDocument, analyzeTable, type RecordingFacts } from './analyze-report.js';
import { isClipped } from '../metrology/channel-quality.js';
import { errorMessage } from '../common/error-message.js';

export interface AnalyzeOptions {
  /** COMTRADE channel overrides, "slot=channel" (slot ua ub uc ia ib ic in; channel name or 1-based number). */
  map?: string[];
  json?: boolean;
  csv?: boolean;
  nominalFrequency?: number;
  duration?: number;
  harmonics?: HarmonicMethod;
  /** Print a progress line on stderr (default: when stderr is a terminal). */
  progress?: boolean;
}

/** Called with windows measured and the total (analyzeFile's progress). */
export type AnalyzeProgress = (done: number, total: number) => void;

export interface AnalyzeOutcome {
  /** Text for stdout. */
  readonly output: string;
  /** Remarks for stderr (channel mapping, resampling, skipped windows). */
  readonly notes: readonly string[];
  /** What makes the numbers doubtful, one line each (stderr, `warning: `): frequency off nominal, noise/DC/clipped channels, unmeasured orders. */
  readonly warnings: readonly string[];
}

function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`expected a positive number, got '${value}'`);
  return parsed;
}

const SLOT_NAMES = new Set(['ua', 'ub', 'uc', 'ia', 'ib', 'ic', 'in']);

/** "ia=F1-IA" or "ua=5" -> an entry of the COMTRADE channel mapping override. */
function mappingEntry(value: string, previous: string[] | undefined): string[] {
  const equals = value.indexOf('=');
  const slot = value.slice(0, Math.max(0, equals)).trim().toLowerCase();
  if (equals < 1 || !SLOT_NAMES.has(slot) || value.slice(equals + 1).trim() === '') {
    throw new InvalidArgumentError(`expected SLOT=CHANNEL with SLOT one of ua ub uc ia ib ic in, got '${value}'`);
  }
  return [...(previous ?? []), value];
}

function mappingOverride(entries: readonly string[]): ChannelMappingOverride {
  const override: ChannelMappingOverride = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    const slot = entry.slice(0, equals).trim().toLowerCase() as ChannelSlot;
    const channel = entry.slice(equals + 1).trim();
    override[slot] = /^\d+$/.test(channel) ? Number(channel) : channel;
  }
  return override;
}

function harmonicMethod(value: string): HarmonicMethod {
  if (value !== 'fft' && value !== 'dft') throw new InvalidArgumentError(`expected fft or dft, got '${value}'`);
  return value;
}

/** The work of the command, without touching the process (for tests and embedding). Throws on bad input. */
export function analyzeFile(file: string, options: AnalyzeOptions = {}, onProgress?: AnalyzeProgress): AnalyzeOutcome {
  if (options.json === true && options.csv === true) throw new RangeError('choose one of --json and --csv');
  const opened = openWaveformSource(file, options.map === undefined ? {} : { mapping: mappingOverride(options.map) });
  const source = opened.source;
  // A CSV carries no line frequency (its reader assumes 50 Hz): let the metrology detect it.
  const nominalFrequencyHz = options.nominalFrequency ?? (opened.kind === 'csv' ? undefined : source.nominalFrequencyHz);
  const count = Number.isFinite(source.lengthSamples)
    ? source.lengthSamples
    : Math.round((options.duration ?? 1) * source.sampleRateHz);
  const block = source.read(0, count);
  const windows = measureBlock(block, {
    ...(nominalFrequencyHz === undefined ? {} : { nominalFrequencyHz }),
    ...(options.harmonics === undefined ? {} : { harmonicMethod: options.harmonics }),
    ...(onProgress === undefined ? {} : { onWindow: onProgress }),
  });
  if (windows.length === 0) {
    throw new RangeError(`${file}: no whole cycle to measure (${count} samples at ${source.sampleRateHz} Hz, no periodic voltage or current found)`);
  }
  const notes = [...opened.notes];
  const measuredS = windows.reduce((s, w) => s + w.durationS, 0);
  const recordS = count / source.sampleRateHz;
  if (measuredS < 0.9 * recordS) {
    notes.push(`measured ${measuredS.toFixed(3)} s of the ${recordS.toFixed(3)} s record (whole windows of regular cycles without missing samples)`);
  }
  const facts: RecordingFacts = {
    sampleRateHz: source.sampleRateHz,
    nominalFrequencyHz,
    clipped: { voltage: block.voltage.map(isClipped), current: block.current.map(isClipped) },
  };
  const doc = analyzeDocument(windows, facts);
  let output: string;
  if (options.json === true) output = `${JSON.stringify(doc, null, 2)}\n`;
  else if (options.csv === true) output = analyzeCsv(windows, facts);
  else {
    const nominal = nominalFrequencyHz === undefined ? `${windows[0]?.cycles === 12 ? 60 : 50} Hz (detected)` : `${nominalFrequencyHz} Hz`;
    output = analyzeTable(windows, `${source.description}: ${count} samples at ${source.sampleRateHz.toFixed(3)} Hz, nominal ${nominal}`, facts);
  }
  return { output, notes, warnings: doc.warnings };
}

/** Windows (about 0.2 s of recording each) from which a terminal gets a progress line unasked: about 20 s of recording. */
const LONG_RECORDING_WINDOWS = 100;

/**
 * The progress line on stderr: rewritten in place on a terminal (only for long recordings unless
 * asked), one line per tenth with --progress into a file or pipe; nothing otherwise.
 */
function progressLine(asked: boolean): AnalyzeProgress | undefined {
  const tty = process.stderr.isTTY;
  if (!asked && !tty) return undefined;
  let shownTenth = -1;
  return (done, total) => {
    if (!asked && total < LONG_RECORDING_WINDOWS) return;
    const tenth = Math.floor((10 * done) / total);
    const text = `analyze: ${done}/${total} windows (${Math.floor((100 * done) / total)} %)`;
    if (tty) process.stderr.write(`\r${text}${done === total ? '\r' + ' '.repeat(text.length) + '\r' : ''}`);
    else if (tenth !== shownTenth) process.stderr.write(`${text}\n`);
    shownTenth = tenth;
  };
}

/** The `analyze` sub-command (added to the program in main.ts). */
export function analyzeCommand(): Command {
  return new Command('analyze')
    .description('measure a recording (COMTRADE .cfg/.cff, CSV) window by window, as the meter would')
    .argument('<file>', 'recording: .cfg (with its .dat), .cff, .csv; or synthetic:NAME')
    .option('--map <slot=channel>', 'COMTRADE: use this channel (name or number) for ua ub uc ia ib ic or in; repeatable', mappingEntry)
    .option('--json', 'print {"summary": ..., "windows": [...]} as JSON')
    .option('--csv', 'print one CSV line per window')
    .option('--nominal-frequency <hz>', 'nominal system frequency (50 or 60): 10 or 12 cycles per window', positiveNumber)
    .option('--duration <s>', 'seconds to measure of an endless (synthetic) source', positiveNumber)
    .option('--harmonics <method>', 'fft (default) or dft', harmonicMethod)
    .option('--progress', 'print a progress line on stderr (default: only when stderr is a terminal)')
    .action((file: string, options: AnalyzeOptions) => {
      // `submeter analyze FILE --json | head`: a closed pipe ends the output quietly.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(0);
        throw error;
      });
      try {
        const outcome = analyzeFile(file, options, progressLine(options.progress === true));
        for (const note of outcome.notes) process.stderr.write(`note: ${note}\n`);
        for (const warning of outcome.warnings) process.stderr.write(`warning: ${warning}\n`);
        process.stdout.write(outcome.output);
      } catch (error) {
        // Node's "ENOENT: no such file or directory, open 'x'" in the words the other commands use.
        const message = errorMessage(error).replace(/ENOENT: no such file or directory, open '[^']*'/, 'no such file');
        process.stderr.write(`submeter analyze: ${message.split('\n')[0]}\n`);
        process.exitCode = 1;
      }
    });
}
