/**
 * Commands arriving on <prefix>/<meter>/set/<name>, parsed from the topic's name and the payload
 * into one typed command (the sink validates it further, as the control API does):
 *
 *   set/relay               ON | OFF (also close/open, 1/0, true/false, or {"value": ...})
 *   set/reset-demand        any payload (Home Assistant's button sends PRESS)
 *   set/reset-energy        any payload; protected: {"password": N} when the profile has one
 *   set/settings.<name>     a number in SI units (settings.ctRatio 100), or {"value": N, "password": N}
 *   set/scenario            a physical scenario as JSON ({"kind": "sag", "depth": 0.3, "durationMs": 2000})
 *   set/end-scenarios       any payload: end every active scenario
 *
 * A payload may be plain text or a JSON object; a JSON object's `password` field carries the
 * meter's password for protected operations (the same password a Modbus client writes to the
 * unlock register).
 */

export type MqttCommand =
  | { kind: 'relay'; closed: boolean; password: number | undefined }
  | { kind: 'reset-demand'; password: number | undefined }
  | { kind: 'reset-energy'; password: number | undefined }
  | { kind: 'setting'; name: string; value: number; password: number | undefined }
  | { kind: 'scenario'; scenario: unknown }
  | { kind: 'end-scenarios' };

export const COMMAND_NAMES = ['relay', 'reset-demand', 'reset-energy', 'settings.<name>', 'scenario', 'end-scenarios'] as const;

/** A JSON object payload, or undefined when the payload is plain text. */
function jsonObject(text: string): Record<string, unknown> | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    throw new RangeError(`the payload is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RangeError('the payload must be a JSON object');
  return value as Record<string, unknown>;
}

function passwordOf(object: Record<string, unknown> | undefined): number | undefined {
  const password = object?.password;
  if (password === undefined) return undefined;
  if (typeof password !== 'number' || !Number.isInteger(password)) throw new RangeError('"password" must be an integer');
  return password;
}

const RELAY_WORDS: ReadonlyMap<string, boolean> = new Map([
  ['on', true], ['close', true], ['closed', true], ['1', true], ['true', true],
  ['off', false], ['open', false], ['0', false], ['false', false],
]);

function relayState(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const word = RELAY_WORDS.get(String(value).trim().toLowerCase());
  if (word === undefined) throw new RangeError(`relay takes ON or OFF (close/open, 1/0), got "${String(value)}"`);
  return word;
}

function numberValue(name: string, value: unknown): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) throw new RangeError(`${name} takes a number, got "${String(value)}"`);
  return number;
}

/** The command named `name` with `payload`; throws RangeError with the reason when it is not one. */
export function parseMqttCommand(name: string, payload: string): MqttCommand {
  const object = jsonObject(payload);
  const value: unknown = object === undefined ? payload : object.value;
  switch (name) {
    case 'relay':
      return { kind: 'relay', closed: relayState(value), password: passwordOf(object) };
    case 'reset-demand':
      return { kind: 'reset-demand', password: passwordOf(object) };
    case 'reset-energy':
      return { kind: 'reset-energy', password: passwordOf(object) };
    case 'scenario':
      if (object === undefined) throw new RangeError('scenario takes a JSON object, e.g. {"kind": "sag", "depth": 0.3, "durationMs": 2000}');
      return { kind: 'scenario', scenario: object };
    case 'end-scenarios':
      return { kind: 'end-scenarios' };
    default:
      if (name.startsWith('settings.') && name.length > 'settings.'.length) {
        return { kind: 'setting', name, value: numberValue(name, value), password: passwordOf(object) };
      }
      throw new RangeError(`unknown command "${name}"; commands: ${COMMAND_NAMES.join(', ')}`);
  }
}
