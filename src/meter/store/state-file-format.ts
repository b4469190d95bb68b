/**
 * The on-disk form of a meter state: one header line, then the JSON body.
 *
 *     submeter-state v1 bytes=12345 sha256=<64 hex digits>\n
 *     {"formatVersion":1,...}
 *
 * The header carries the format version, the body's length in bytes and its SHA-256, so a
 * truncated or corrupted file is recognised before anything in it is trusted. A body whose checksum
 * holds is then checked field by field (state-schema.ts): impossible contents count as damage too.
 */
import { createHash } from 'node:crypto';
import { METER_STATE_FORMAT_VERSION, type MeterState } from '../meter-state.js';
import { errorMessage } from '../../common/error-message.js';
import { checkMeterState } from './state-schema.js';

const HEADER = /^submeter-state v(\d+) bytes=(\d+) sha256=([0-9a-f]{64})$/;

/** The file is damaged (truncated, checksum mismatch, not JSON): fall back to the previous one. */
export class CorruptStateError extends Error {
  override readonly name = 'CorruptStateError';
}

/** The file was written by a newer submeter: refuse it, never overwrite it. */
export class NewerStateFormatError extends Error {
  override readonly name = 'NewerStateFormatError';
}

/**
 * JSON of load-profile record arrays already serialised: the meter hands out the same array until
 * a record is added (every 15 min), so the bulk of a snapshot (up to 4320 records) is serialised
 * once per interval instead of twice a second.
 */
const recordsJson = new WeakMap<object, string>();

function profileRecordsJson(records: object): string {
  let json = recordsJson.get(records);
  if (json === undefined) {
    json = JSON.stringify(records);
    recordsJson.set(records, json);
  }
  return json;
}

function stateJson(state: MeterState): string {
  const { records, ...profileRest } = state.profile;
  const profile = `${JSON.stringify(profileRest).slice(0, -1)},"records":${profileRecordsJson(records)}}`;
  return `{"profile":${profile},${JSON.stringify({ ...state, profile: undefined }).slice(1)}`;
}

export function encodeStateFile(state: MeterState): Buffer {
  const body = Buffer.from(stateJson(state), 'utf8');
  const digest = createHash('sha256').update(body).digest('hex');
  const header = Buffer.from(`submeter-state v${METER_STATE_FORMAT_VERSION} bytes=${body.length} sha256=${digest}\n`, 'utf8');
  return Buffer.concat([header, body]);
}

/** Parse and verify a state file's bytes; `file` names it in error messages. */
export function decodeStateFile(bytes: Buffer, file: string): MeterState {
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) {
    throw new CorruptStateError(`${file}: no header line (empty or truncated file, ${bytes.length} bytes)`);
  }
  const header = bytes.subarray(0, newline).toString('utf8');
  const match = HEADER.exec(header);
  if (match === null) throw new CorruptStateError(`${file}: the first line is not a submeter-state header`);
  const version = Number(match[1]);
  if (version > METER_STATE_FORMAT_VERSION) {
    throw new NewerStateFormatError(
      `${file}: state format v${version} is newer than this submeter understands (v${METER_STATE_FORMAT_VERSION}); ` +
        'refusing to use or overwrite it (upgrade submeter, or move the file away to start fresh)',
    );
  }
  const body = bytes.subarray(newline + 1);
  const expectedBytes = Number(match[2]);
  if (body.length !== expectedBytes) {
    throw new CorruptStateError(`${file}: body is ${body.length} bytes, header says ${expectedBytes} (truncated or extended)`);
  }
  const digest = createHash('sha256').update(body).digest('hex');
  if (digest !== match[3]) throw new CorruptStateError(`${file}: SHA-256 of the body does not match the header (corrupted)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new CorruptStateError(`${file}: body is not valid JSON (${errorMessage(error)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || !('formatVersion' in parsed) || parsed.formatVersion !== version) {
    throw new CorruptStateError(`${file}: body's formatVersion does not match the header's v${version}`);
  }
  const checked = checkMeterState(parsed);
  if ('problem' in checked) throw new CorruptStateError(`${file}: field ${checked.problem}`);
  return checked.state;
}
