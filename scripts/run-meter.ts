/**
 * A small meter process for the crash test (test/integration/meter-crash.test.ts) and for trying
 * persistence by hand: a meter on a constant balanced load (230 V, --current A per phase, PF 1),
 * in simulated time, persisted to --state DIR, reporting on stdout one JSON line per event:
 *
 *   {"type":"ready","timeMs":...,"energyWh":...,"restored":true|false}
 *   {"type":"tick","timeMs":...,"energyWh":...}
 *   {"type":"saved","timeMs":...,"energyWh":...}
 *
 * Usage: node --import tsx scripts/run-meter.ts --state DIR [--speed 60] [--start ISO]
 *        [--current 10] [--tick-ms 50]
 * SIGINT/SIGTERM write a last snapshot and exit 0; SIGKILL is the crash being tested.
 */
import { parseArgs } from 'node:util';
import { createMeter } from '../src/meter/create-meter.js';
import { activeImportWhOfState } from '../src/meter/energy-accumulator.js';
import { balancedLoad, SettableSource } from '../test/support/phasor-measurement.js';

const { values } = parseArgs({
  options: {
    state: { type: 'string' },
    speed: { type: 'string', default: '60' },
    start: { type: 'string', default: '2026-01-01T00:00:00Z' },
    current: { type: 'string', default: '10' },
    'tick-ms': { type: 'string', default: '50' },
  },
});
if (values.state === undefined) {
  process.stderr.write('run-meter: --state DIR is required\n');
  process.exit(2);
}
// A reader that went away (a pipe closed) ends the process quietly.
process.stdout.on('error', () => process.exit(0));
const line = (record: object): void => {
  process.stdout.write(`${JSON.stringify(record)}\n`);
};

const running = await createMeter({
  source: new SettableSource(balancedLoad(230, Number(values.current), 0)),
  stateDir: values.state,
  speed: Number(values.speed),
  startTimeMs: Date.parse(values.start),
  tickIntervalMs: Number(values['tick-ms']),
  onTick: (meter) => line({ type: 'tick', timeMs: meter.timeMs, energyWh: meter.activeImportWh() }),
  onSaved: (state) => line({ type: 'saved', timeMs: state.timeMs, energyWh: activeImportWhOfState(state.energy) }),
});
line({ type: 'ready', timeMs: running.meter.timeMs, energyWh: running.meter.activeImportWh(), restored: running.restored });
running.start();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    running.flushSync();
    process.exit(0);
  });
}
