/**
 * `submeter ctl ...`: drive a running submeter through its control API (see docs/control.md),
 * with the typed client of the route table. One file per sub-command:
 *
 *   submeter ctl meters
 *   submeter ctl read m1 [--json]
 *   submeter ctl events m1 [--count 10]
 *   submeter ctl fault no-response --meter m1 --count 5
 *   submeter ctl fault delay --delay 300ms --jitter 50ms --duration 1m
 *   submeter ctl faults [--meter m1]        submeter ctl clear [FAULT_ID] [--meter m1]
 *   submeter ctl scenario m1 sag --phase 2 --depth 0.5 --duration 200ms
 *   submeter ctl scenarios m1               submeter ctl end m1 [SCENARIO_ID]
 *   submeter ctl timeline storm.yaml | --status | --stop
 *
 * --url (env SUBMETER_CONTROL_URL, default http://127.0.0.1:8502) and --token (env
 * SUBMETER_CONTROL_TOKEN) select the API.
 */
import { Command } from 'commander';
import { addClearCommand } from './clear.js';
import { addEndCommand } from './end.js';
import { addEventsCommand } from './events.js';
import { addFaultCommand } from './fault.js';
import { addFaultsCommand } from './faults.js';
import { addMetersCommand } from './meters.js';
import { addReadCommand } from './read.js';
import { addScenarioCommand } from './scenario.js';
import { addScenariosCommand } from './scenarios.js';
import { addTimelineCommand } from './timeline.js';

export function ctlCommand(): Command {
  const ctl = new Command('ctl')
    .description('control a running submeter: live values, communication faults, physical scenarios, timelines')
    .option('--url <url>', 'control API base URL', process.env.SUBMETER_CONTROL_URL ?? 'http://127.0.0.1:8502')
    .option('--token <token>', 'bearer token (default: env SUBMETER_CONTROL_TOKEN)');
  for (const add of [
    addMetersCommand,
    addReadCommand,
    addEventsCommand,
    addFaultsCommand,
    addFaultCommand,
    addClearCommand,
    addScenarioCommand,
    addScenariosCommand,
    addEndCommand,
    addTimelineCommand,
  ]) {
    add(ctl);
  }
  return ctl;
}
