/**
 * The MQTT output's view of a running panel (src/mqtt/mqtt-panel-view.ts): its meters (those with
 * a meter behind the device), their events, and a command sink that does what a Modbus write or
 * the control API does: relay, demand and energy resets and settings through MeterCommands (the
 * meter checks bounds), protected operations only with the profile's password (the same rule as
 * the map's unlock register), physical scenarios through the control layer (the same schema and
 * the same scenario list as the HTTP API when it runs).
 *
 * Events come from each meter as it records them (meter-event-feed.ts): no loop over the fleet,
 * so a lazy meter stays lazy (it wakes when its source changes and records the event then).
 */
import { ControlError } from '../control/control-error.js';
import type { FaultController } from '../control/fault-controller.js';
import { ScenarioRunner } from '../control/scenario-runner.js';
import type { MeterCommands } from '../meter/commands.js';
import type { MqttCommand } from '../mqtt/mqtt-command.js';
import type { MqttCommandOutcome, MqttMeterView, MqttPanelView } from '../mqtt/mqtt-panel-view.js';
import { RegisterMapDevice } from '../registers/register-map-device.js';
import type { RegisterMap } from '../registers/register-map.js';
import { SETTINGS } from '../registers/setting-catalogue.js';
import { meterEventFeed, type MeterEventFeed } from './meter-event-feed.js';
import type { PanelClock, PanelMeter } from './panel-meter.js';

export interface PanelMqttView extends MqttPanelView {
  /** Stops watching events. */
  close(): void;
}

/** Which operations the profile protects with its password, and the password. */
function protection(map: RegisterMap | undefined): { password: number | undefined; protects: (command: MqttCommand) => boolean } {
  const password = map?.security?.password;
  const registers = map?.registers ?? [];
  return {
    password,
    protects: (command) => {
      if (password === undefined) return false;
      switch (command.kind) {
        case 'relay':
          return registers.some((r) => r.command === 'relay' && r.protected);
        case 'reset-demand':
          return registers.some((r) => r.command === 'resetDemand' && r.protected);
        case 'reset-energy':
          return registers.some((r) => r.command === 'resetEnergy' && r.protected);
        case 'setting':
          return registers.some((r) => r.setting?.name === command.name && r.protected);
        default:
          return false;
      }
    },
  };
}

export function panelMqttView(meters: readonly PanelMeter[], controller: FaultController | undefined, clock: PanelClock, pollMs: number): PanelMqttView {
  const views: MqttMeterView[] = [];
  const served = new Map<string, { meter: PanelMeter; commands: MeterCommands; runner: ScenarioRunner | undefined }>();
  const feeds: MeterEventFeed[] = [];
  for (const meter of meters) {
    const commands = meter.commands;
    if (commands === undefined) continue;
    const feed = meterEventFeed(commands, pollMs);
    feeds.push(feed);
    const runner = controller === undefined && meter.physical !== undefined ? new ScenarioRunner(meter.physical, clock) : undefined;
    served.set(meter.spec.name, { meter, commands, runner });
    views.push({
      name: meter.spec.name,
      profile: meter.spec.profile,
      identity: commands.snapshot().identity,
      snapshot: () => commands.snapshot(),
      onEvent: (listener) => feed.add(listener),
    });
  }

  const apply = (name: string, command: MqttCommand): MqttCommandOutcome => {
    const outcome = applyCommand(name, command);
    // As after a Modbus write: what was accepted is in the registers at once, not at the next tick.
    const device = served.get(name)?.meter.device;
    if (outcome.ok && device instanceof RegisterMapDevice) device.refresh();
    return outcome;
  };

  const applyCommand = (name: string, command: MqttCommand): MqttCommandOutcome => {
    const entry = served.get(name);
    if (entry === undefined) return { ok: false, error: `no meter "${name}"` };
    const { commands, meter, runner } = entry;
    const rules = protection(meter.device instanceof RegisterMapDevice ? meter.device.map : undefined);
    if (rules.protects(command)) {
      const given = 'password' in command ? command.password : undefined;
      if (given === undefined) return { ok: false, error: `${command.kind === 'setting' ? command.name : command.kind} is protected: give the meter's password ({"value": ..., "password": N})` };
      if (given !== rules.password) return { ok: false, error: 'wrong password' };
    }
    try {
      switch (command.kind) {
        case 'relay':
          commands.setRelay(command.closed);
          return { ok: true, detail: command.closed ? 'relay closed' : 'relay open', data: { relayClosed: command.closed } };
        case 'reset-demand':
          commands.resetDemand();
          return { ok: true, detail: 'maximum demand reset' };
        case 'reset-energy':
          commands.resetEnergy();
          return { ok: true, detail: 'energy registers reset' };
        case 'setting': {
          const setting = SETTINGS.get(command.name);
          if (setting === undefined) return { ok: false, error: `unknown setting "${command.name}"; settings: ${[...SETTINGS.keys()].join(', ')}` };
          commands.updateSettings(setting.toChange(command.value));
          return { ok: true, detail: `${command.name} = ${command.value}` };
        }
        case 'scenario': {
          const started = controller !== undefined ? controller.beginScenario(name, command.scenario) : beginOwn(runner, command.scenario);
          return { ok: true, detail: `scenario ${started.id} (${started.scenario.kind}) started`, data: started };
        }
        case 'end-scenarios': {
          const ended = controller !== undefined ? controller.endScenarios(name) : (runner?.endAll() ?? 0);
          return { ok: true, detail: `${ended} scenario${ended === 1 ? '' : 's'} ended`, data: { ended } };
        }
      }
    } catch (error) {
      if (error instanceof RangeError || error instanceof ControlError) return { ok: false, error: error.message };
      throw error;
    }
  };

  return {
    meters: views,
    commands: { apply },
    close: () => {
      for (const feed of feeds) feed.close();
    },
  };
}

function beginOwn(runner: ScenarioRunner | undefined, scenario: unknown): ReturnType<ScenarioRunner['begin']> {
  if (runner === undefined) throw new ControlError(409, 'this meter has no changeable source (physical scenarios need a synthetic source)');
  return runner.begin(scenario);
}
