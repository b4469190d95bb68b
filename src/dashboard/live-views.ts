/**
 * What the dashboard's live stream sends: a page of the fleet (search, paging) and one meter's
 * view, both built from the running panel. A meter's view is built at most once per panel tick
 * however many pages show it (cached by tick), so ten open pages cost one build per tick.
 */
import type { FaultController, MeterSummary } from '../control/fault-controller.js';
import type { MeterSnapshot } from '../meter/snapshot.js';
import type { Panel } from '../runtime/panel.js';
import type { PanelMeter } from '../runtime/panel-meter.js';

export interface FleetRow {
  id: string;
  description: string;
  profile: string;
  /** "endpoint unit N" for each place the meter is served. */
  served: string[];
  /** Total active power (W), per-phase voltage (V) and current (A). */
  p: number;
  v: number[];
  i: number[];
  relayClosed: boolean;
  eventCount: number;
  faults: number;
  scenarios: number;
}

export interface FleetPage {
  total: number;
  matched: number;
  page: number;
  pageSize: number;
  rows: FleetRow[];
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

/**
 * The control API's meter summaries by id, built once: they are fixed for a running panel, and
 * listing them per row would cost the whole fleet per row.
 */
export function meterSummaries(controller: FaultController | undefined): ReadonlyMap<string, MeterSummary> {
  return new Map((controller?.listMeters() ?? []).map((m) => [m.id, m] as const));
}

function fleetRow(meter: PanelMeter, controller: FaultController | undefined, summaries: ReadonlyMap<string, MeterSummary>): FleetRow {
  const name = meter.spec.name;
  const snapshot = meter.commands?.snapshot();
  const summary = summaries.get(name);
  const phases = snapshot?.measurement.phases;
  let scenarios = 0;
  try {
    scenarios = controller?.listScenarios(name).length ?? 0;
  } catch {
    scenarios = 0; // a meter without a changeable source
  }
  return {
    id: name,
    description: summary?.description ?? meter.sourceDescription,
    profile: meter.spec.profile,
    served: (summary?.faultScopes ?? []).map((s) => `${s.endpoint} unit ${s.unitId}`),
    p: round(snapshot?.measurement.total.activePower ?? 0, 1),
    v: phases === undefined ? [] : phases.map((x) => round(x.voltageRms, 2)),
    i: phases === undefined ? [] : phases.map((x) => round(x.currentRms, 3)),
    relayClosed: snapshot?.relayClosed ?? true,
    eventCount: snapshot?.eventCount ?? 0,
    faults: controller === undefined || summary === undefined || summary.faultScopes.length === 0 ? 0 : controller.listFaults(name).length,
    scenarios,
  };
}

/** One page of the fleet: meters whose name, profile or description contain `query`. */
export function fleetPage(panel: Panel, controller: FaultController | undefined, summaries: ReadonlyMap<string, MeterSummary>, query: string, page: number, pageSize: number): FleetPage {
  const needle = query.trim().toLowerCase();
  const matched: PanelMeter[] = [];
  for (const meter of panel.meters) {
    if (needle === '' || meter.spec.name.toLowerCase().includes(needle) || meter.spec.profile.toLowerCase().includes(needle) || meter.sourceDescription.toLowerCase().includes(needle)) matched.push(meter);
  }
  const pages = Math.max(1, Math.ceil(matched.length / pageSize));
  const current = Math.min(Math.max(0, page), pages - 1);
  const rows = matched.slice(current * pageSize, (current + 1) * pageSize).map((meter) => fleetRow(meter, controller, summaries));
  return { total: panel.meters.length, matched: matched.length, page: current, pageSize, rows };
}

export interface PhaseView {
  v: number;
  i: number;
  p: number;
  q: number;
  s: number;
  pf: number;
  vThd: number;
  iThd: number;
  /** Harmonic magnitudes (RMS, index = order, 0 = DC) and phases (rad) up to the 31st. */
  vh: number[];
  vph: number[];
  ih: number[];
  iph: number[];
}

export interface MeterView {
  id: string;
  description: string;
  profile: string;
  physical: boolean;
  timeMs: number;
  frequencyHz: number;
  phases: PhaseView[];
  total: { p: number; q: number; s: number; pf: number };
  energy: MeterSnapshot['energy'];
  activeTariff: number;
  demand: MeterSnapshot['demand'];
  relayClosed: boolean;
  events: unknown[];
  profileRecords: unknown[];
  scenarios: unknown[];
  faults: unknown[];
}

const list = (a: ArrayLike<number>): number[] => Array.from(a, (x) => round(x, 5));

export function meterView(panel: Panel, controller: FaultController | undefined, summaries: ReadonlyMap<string, MeterSummary>, name: string): MeterView | undefined {
  const meter = panel.meter(name);
  const snapshot = meter?.commands?.snapshot();
  if (meter === undefined || snapshot === undefined) return undefined;
  const m = snapshot.measurement;
  const summary = summaries.get(name);
  const safe = <T>(f: () => T[]): T[] => {
    try {
      return f();
    } catch {
      return [];
    }
  };
  return {
    id: name,
    description: summary?.description ?? meter.sourceDescription,
    profile: meter.spec.profile,
    physical: summary?.physical ?? false,
    timeMs: snapshot.timeMs,
    frequencyHz: round(m.frequencyHz, 4),
    phases: m.phases.map((x) => ({
      v: round(x.voltageRms, 3),
      i: round(x.currentRms, 4),
      p: round(x.activePower, 2),
      q: round(x.reactivePower, 2),
      s: round(x.apparentPower, 2),
      pf: round(x.powerFactor, 4),
      vThd: round(x.voltageThd, 5),
      iThd: round(x.currentThd, 5),
      vh: list(x.voltageHarmonics),
      vph: list(x.voltageHarmonicPhases),
      ih: list(x.currentHarmonics),
      iph: list(x.currentHarmonicPhases),
    })),
    total: { p: round(m.total.activePower, 2), q: round(m.total.reactivePower, 2), s: round(m.total.apparentPower, 2), pf: round(m.total.powerFactor, 4) },
    energy: snapshot.energy,
    activeTariff: snapshot.activeTariff,
    demand: snapshot.demand,
    relayClosed: snapshot.relayClosed,
    events: controller === undefined ? [] : safe(() => controller.events(name, 20)),
    profileRecords: controller === undefined ? [] : safe(() => controller.profile(name, 96)),
    scenarios: controller === undefined ? [] : safe(() => controller.listScenarios(name)),
    faults: controller === undefined || (summary?.faultScopes.length ?? 0) === 0 ? [] : safe(() => controller.listFaults(name)),
  };
}
