/**
 * What `submeter analyze` prints, from measured windows: the JSON document, the CSV rows and the
 * human-readable table. SI units throughout; THD, harmonics and unbalance in percent (of the
 * fundamental, resp. of the positive sequence), the only place percent appears.
 */
import type { PhaseMeasurement, WindowMeasurement } from '../metrology/measurement.js';
import { summarizeWindows } from '../metrology/summarize-windows.js';
import { channelQuality, type ChannelQuality } from '../metrology/channel-quality.js';
import { highestResolvableOrder } from '../metrology/harmonic-limit.js';
import { HARMONIC_ORDERS } from '../metrology/measurement.js';
import { renderTable } from './text-table.js';

export interface PhaseReport {
  phase: 'L1' | 'L2' | 'L3';
  voltageRms: number;
  currentRms: number;
  /** DC component (V, A), reported on its own: it is not a harmonic. */
  voltageDc: number;
  currentDc: number;
  activePower: number;
  reactivePower: number;
  apparentPower: number;
  /** null in the summary when a channel of the phase is noise only, DC only or clipped (see `quality`). */
  powerFactor: number | null;
  displacementPowerFactor: number | null;
  /** Percent of the fundamental. */
  voltageThd: number;
  currentThd: number;
  /** Index = order 0..31, percent of the fundamental (index 1 = 100); index 0 (DC, see voltageDc) and orders above `highestOrder` are null: not measured. */
  voltageHarmonics: (number | null)[];
  currentHarmonics: (number | null)[];
  /** Summary only: whether each channel's numbers mean anything. */
  quality?: { voltage: ChannelQuality; current: ChannelQuality };
}

export interface TotalReport {
  activePower: number;
  reactivePower: number;
  apparentPower: number;
  vectorApparentPower: number;
  /** null in the summary when a phase's PF is (see PhaseReport). */
  powerFactor: number | null;
  displacementPowerFactor: number | null;
  lineVoltages: [number, number, number];
  neutralCurrent: number;
  /** Percent. */
  voltageUnbalance: number;
  currentUnbalance: number;
  phaseSequence: string;
  /** Active energy over the measured time (Wh), reactive (varh). */
  activeEnergyWh: number;
  reactiveEnergyVarh: number;
}

export interface MeasurementReport {
  frequencyHz: number;
  /** Highest harmonic order below half the sampling rate at this frequency; higher orders are null. */
  highestOrder: number;
  phases: PhaseReport[];
  total: TotalReport;
}

export interface WindowReport extends MeasurementReport {
  startTimeS: number;
  durationS: number;
  cycles: number;
  partial: boolean;
}

export interface AnalyzeDocument {
  /** One line each: a measured frequency off the nominal one, channels whose numbers mean nothing. */
  warnings: string[];
  summary: MeasurementReport;
  windows: WindowReport[];
}

/** What the report needs besides the windows: the recording's sampling rate and nominal frequency, clipped channels. */
export interface RecordingFacts {
  readonly sampleRateHz: number;
  /** Declared (or given) nominal frequency; undefined when detected. */
  readonly nominalFrequencyHz?: number | undefined;
  /** Per phase L1..L3: whether the recorder clipped the voltage, the current. */
  readonly clipped?: { readonly voltage: readonly boolean[]; readonly current: readonly boolean[] };
}

/** A measured frequency this far off the nominal one (ratio) gets a warning: the recording is not what its header says. */
const FREQUENCY_TOLERANCE = 0.05;

function percentOfFundamental(magnitudes: Float64Array, highestOrder: number): (number | null)[] {
  const fundamental = magnitudes[1];
  return Array.from(magnitudes, (m, order) => (order === 0 || order > highestOrder ? null : fundamental > 0 ? (100 * m) / fundamental : 0));
}

function phaseReport(m: PhaseMeasurement, index: number, highestOrder: number): PhaseReport {
  return {
    phase: (['L1', 'L2', 'L3'] as const)[index],
    voltageRms: m.voltageRms,
    currentRms: m.currentRms,
    voltageDc: m.voltageHarmonics[0],
    currentDc: m.currentHarmonics[0],
    activePower: m.activePower,
    reactivePower: m.reactivePower,
    apparentPower: m.apparentPower,
    powerFactor: m.powerFactor,
    displacementPowerFactor: m.displacementPowerFactor,
    voltageThd: 100 * m.voltageThd,
    currentThd: 100 * m.currentThd,
    voltageHarmonics: percentOfFundamental(m.voltageHarmonics, highestOrder),
    currentHarmonics: percentOfFundamental(m.currentHarmonics, highestOrder),
  };
}

function measurementReport(w: WindowMeasurement, sampleRateHz: number, frequencyForLimitHz = w.frequencyHz): MeasurementReport {
  const highestOrder = highestResolvableOrder(sampleRateHz, frequencyForLimitHz);
  return {
    frequencyHz: w.frequencyHz,
    highestOrder,
    phases: w.phases.map((p, i) => phaseReport(p, i, highestOrder)),
    total: {
      activePower: w.total.activePower,
      reactivePower: w.total.reactivePower,
      apparentPower: w.total.apparentPower,
      vectorApparentPower: w.total.vectorApparentPower,
      powerFactor: w.total.powerFactor,
      displacementPowerFactor: w.total.displacementPowerFactor,
      lineVoltages: [...w.lineVoltages],
      neutralCurrent: w.neutralCurrent,
      voltageUnbalance: 100 * w.voltageUnbalance,
      currentUnbalance: 100 * w.currentUnbalance,
      phaseSequence: w.phaseSequence,
      activeEnergyWh: (w.total.activePower * w.durationS) / 3600,
      reactiveEnergyVarh: (w.total.reactivePower * w.durationS) / 3600,
    },
  };
}

/** The summary with each channel's quality; PF and DPF left out (null) where a channel makes them meaningless. */
function summaryReport(windows: readonly WindowMeasurement[], facts: RecordingFacts, warnings: string[]): MeasurementReport {
  const summary = summarizeWindows(windows);
  // The limit of the fastest window holds for all of them.
  const fastest = Math.max(...windows.map((w) => w.frequencyHz));
  const report = measurementReport(summary, facts.sampleRateHz, fastest);
  let suppressed = false;
  report.phases.forEach((phase, i) => {
    const m = summary.phases[i];
    if (m === undefined) return;
    const voltage = channelQuality({ rms: m.voltageRms, dc: m.voltageHarmonics[0], fundamental: m.voltageHarmonics[1] }, facts.clipped?.voltage[i] === true);
    const current = channelQuality({ rms: m.currentRms, dc: m.currentHarmonics[0], fundamental: m.currentHarmonics[1] }, facts.clipped?.current[i] === true);
    phase.quality = { voltage, current };
    if (voltage !== 'ok' || current !== 'ok') {
      phase.powerFactor = null;
      phase.displacementPowerFactor = null;
      suppressed = true;
      const notes = [voltage === 'ok' ? '' : `voltage ${voltage}`, current === 'ok' ? '' : `current ${current}`].filter((n) => n !== '').join(', ');
      warnings.push(`${phase.phase}: ${notes}: its PF and DPF are not reported`);
    }
  });
  if (suppressed) {
    report.total.powerFactor = null;
    report.total.displacementPowerFactor = null;
  }
  return report;
}

export function analyzeDocument(windows: readonly WindowMeasurement[], facts: RecordingFacts): AnalyzeDocument {
  const warnings: string[] = [];
  const summary = summaryReport(windows, facts, warnings);
  const nominal = facts.nominalFrequencyHz;
  if (nominal !== undefined && nominal > 0 && Math.abs(summary.frequencyHz - nominal) > FREQUENCY_TOLERANCE * nominal) {
    const off = (100 * (summary.frequencyHz - nominal)) / nominal;
    warnings.unshift(
      `measured frequency ${summary.frequencyHz.toFixed(2)} Hz is ${off > 0 ? '+' : ''}${off.toFixed(1)} % off the nominal ${nominal} Hz: ` +
        'the declared sampling rate or nominal frequency of the recording may be wrong',
    );
  }
  if (summary.highestOrder < HARMONIC_ORDERS) {
    warnings.push(`harmonic orders above ${summary.highestOrder} are not measured (${facts.sampleRateHz.toFixed(0)} Hz sampling resolves up to ${(facts.sampleRateHz / 2).toFixed(0)} Hz)`);
  }
  return {
    warnings,
    summary,
    windows: windows.map((w) => ({
      startTimeS: w.startTimeS,
      durationS: w.durationS,
      cycles: w.cycles,
      partial: w.partial,
      ...measurementReport(w, facts.sampleRateHz),
    })),
  };
}

const CSV_PHASE_FIELDS = ['voltageRms', 'currentRms', 'activePower', 'reactivePower', 'apparentPower', 'powerFactor', 'displacementPowerFactor', 'voltageThd', 'currentThd'] as const;

/** One header line and one line per window. */
export function analyzeCsv(windows: readonly WindowMeasurement[], facts: RecordingFacts): string {
  const header = ['startTimeS', 'durationS', 'cycles', 'partial', 'frequencyHz'];
  for (const phase of ['L1', 'L2', 'L3']) for (const f of CSV_PHASE_FIELDS) header.push(`${phase}.${f}`);
  header.push('activePower', 'reactivePower', 'apparentPower', 'powerFactor', 'U12', 'U23', 'U31', 'neutralCurrent', 'voltageUnbalance', 'currentUnbalance', 'phaseSequence');
  const lines = [header.join(',')];
  for (const w of analyzeDocument(windows, facts).windows) {
    const row: (string | number | boolean | null)[] = [w.startTimeS, w.durationS, w.cycles, w.partial, w.frequencyHz];
    for (const p of w.phases) for (const f of CSV_PHASE_FIELDS) row.push(p[f]);
    const t = w.total;
    row.push(t.activePower, t.reactivePower, t.apparentPower, t.powerFactor, ...t.lineVoltages, t.neutralCurrent, t.voltageUnbalance, t.currentUnbalance, t.phaseSequence);
    lines.push(row.map((cell) => (cell === null ? '' : String(cell))).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** A number with `digits` decimals, "-" when there is none (not measured, or suppressed). */
function fixed(value: number | null, digits: number): string {
  return value === null || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

const RIGHT = 'right' as const;

/** Orders shown in the summary's harmonics table (2..15; the JSON has all 31). */
const TABLE_ORDERS = Array.from({ length: 14 }, (_, i) => i + 2);

/** Human-readable: one line per window, then the summary per phase; columns aligned whatever the magnitudes. */
export function analyzeTable(windows: readonly WindowMeasurement[], title: string, facts: RecordingFacts): string {
  const doc = analyzeDocument(windows, facts);
  const out: string[] = [title, ''];
  const rows: string[][] = [['start s', 'dur ms', 'cyc', 'f Hz', 'U1 V', 'U2 V', 'U3 V', 'I1 A', 'I2 A', 'I3 A', 'P W', 'Q var', 'PF', 'THDu %', 'THDi %']];
  for (const w of doc.windows) {
    const thdU = Math.max(...w.phases.map((p) => p.voltageThd));
    const thdI = Math.max(...w.phases.map((p) => p.currentThd));
    rows.push([
      fixed(w.startTimeS, 3),
      fixed(w.durationS * 1000, 2),
      `${w.cycles}${w.partial ? '*' : ''}`,
      fixed(w.frequencyHz, 4),
      ...w.phases.map((p) => fixed(p.voltageRms, 2)),
      ...w.phases.map((p) => fixed(p.currentRms, 3)),
      fixed(w.total.activePower, 1),
      fixed(w.total.reactivePower, 1),
      fixed(w.total.powerFactor, 4),
      fixed(thdU, 2),
      fixed(thdI, 2),
    ]);
  }
  out.push(indent(renderTable(rows, Array<'right'>(15).fill(RIGHT))));
  if (doc.windows.some((w) => w.partial)) out.push('  * partial: the record holds fewer cycles than one window; measured over the whole cycles it has');
  const s = doc.summary;
  const measuredS = windows.reduce((sum, w) => sum + w.durationS, 0);
  out.push('', `summary over ${windows.length} window(s), ${measuredS.toFixed(3)} s: f = ${s.frequencyHz.toFixed(4)} Hz, sequence ${s.total.phaseSequence}`);
  const phaseRows: string[][] = [['phase', 'U V', 'I A', 'P W', 'Q var', 'S VA', 'PF', 'DPF', 'THDu %', 'THDi %', 'U DC V', 'I DC A', 'quality']];
  for (const p of s.phases) {
    const quality = p.quality === undefined ? '' : qualityNote(p.quality);
    phaseRows.push([
      p.phase,
      fixed(p.voltageRms, 2),
      fixed(p.currentRms, 3),
      fixed(p.activePower, 1),
      fixed(p.reactivePower, 1),
      fixed(p.apparentPower, 1),
      fixed(p.powerFactor, 4),
      fixed(p.displacementPowerFactor, 4),
      fixed(p.voltageThd, 2),
      fixed(p.currentThd, 2),
      fixed(p.voltageDc, 3),
      fixed(p.currentDc, 3),
      quality,
    ]);
  }
  out.push(indent(renderTable(phaseRows, ['left', ...Array<'right'>(11).fill(RIGHT), 'left'])));
  const t = s.total;
  out.push(
    `  total ${fixed(t.activePower, 1)} W, ${fixed(t.reactivePower, 1)} var, ${fixed(t.apparentPower, 1)} VA, PF ${fixed(t.powerFactor, 4)}, DPF ${fixed(t.displacementPowerFactor, 4)}`,
    `  U12/U23/U31 ${t.lineVoltages.map((v) => v.toFixed(2)).join(' / ')} V, neutral ${t.neutralCurrent.toFixed(3)} A, unbalance U ${t.voltageUnbalance.toFixed(3)} % I ${t.currentUnbalance.toFixed(3)} %`,
    `  energy over the measured time: ${t.activeEnergyWh.toFixed(6)} Wh, ${t.reactiveEnergyVarh.toFixed(6)} varh`,
    '',
    `harmonics, % of the fundamental ("-": not measured, above order ${s.highestOrder} at ${facts.sampleRateHz.toFixed(0)} Hz sampling)`,
  );
  const harmonicRows: string[][] = [['', ...TABLE_ORDERS.map((h) => `h${h}`)]];
  for (const p of s.phases) {
    harmonicRows.push([`${p.phase} U`, ...TABLE_ORDERS.map((h) => fixed(p.voltageHarmonics[h] ?? null, 2))]);
    harmonicRows.push([`${p.phase} I`, ...TABLE_ORDERS.map((h) => fixed(p.currentHarmonics[h] ?? null, 2))]);
  }
  out.push(indent(renderTable(harmonicRows, ['left', ...TABLE_ORDERS.map(() => RIGHT)])));
  return `${out.join('\n')}\n`;
}

function qualityNote(quality: { voltage: ChannelQuality; current: ChannelQuality }): string {
  const notes = [quality.voltage === 'ok' ? '' : `U ${quality.voltage}`, quality.current === 'ok' ? '' : `I ${quality.current}`].filter((n) => n !== '');
  return notes.length === 0 ? 'ok' : notes.join(', ');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
