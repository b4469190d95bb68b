import type { ModbusDevice } from '../device.js';
import { ExceptionCode, ModbusError } from '../exception.js';
import { MaxPduLength, MeiReadDeviceIdentification } from './function-code.js';
import { expectLength, illegalDataValue, illegalFunction } from './request-errors.js';

/** Read device id codes of FC43/14. */
export const ReadDeviceIdCode = { Basic: 0x01, Regular: 0x02, Extended: 0x03, Individual: 0x04 } as const;

const textEncoder = new TextEncoder();
const headerLength = 7; // fc, mei, code, conformity, more follows, next object id, number of objects
const maxObjectValueLength = MaxPduLength - headerLength - 2;

function objectBytes(value: string | Uint8Array): Uint8Array {
  const bytes = typeof value === 'string' ? textEncoder.encode(value) : value;
  return bytes.length > maxObjectValueLength ? bytes.subarray(0, maxObjectValueLength) : bytes;
}

/** Highest object id of each stream category: basic 0x00..0x02, regular ..0x7F, extended ..0xFF. */
function categoryLastId(code: number): number {
  return code === ReadDeviceIdCode.Basic ? 0x02 : code === ReadDeviceIdCode.Regular ? 0x7f : 0xff;
}

/** Conformity level: highest category present, 0x80 because individual access is supported. */
function conformityLevel(ids: readonly number[]): number {
  let level = 0x01;
  for (const id of ids) {
    if (id >= 0x80) level = 0x03;
    else if (id >= 0x03 && level < 0x02) level = 0x02;
  }
  return 0x80 | level;
}

/**
 * FC43 / MEI 0x0E read device identification. Request: fc, 0x0E, read device id code (1..4),
 * object id. Stream access (1..3) returns the category's objects from the object id on (an unknown
 * object id restarts at 0), as many as fit in one PDU, with "more follows" 0xFF and the next object
 * id when they do not. Individual access (4) returns one object, 02 when it does not exist.
 * A MEI type other than 0x0E is 01; a read device id code outside 1..4 is 03.
 */
export function readDeviceIdentification(
  device: ModbusDevice,
  request: Uint8Array,
  start: number,
  length: number,
  response: Uint8Array,
  responseOffset: number,
): number {
  if (length < 2) throw illegalDataValue('encapsulated interface transport: MEI type missing');
  const meiType = request[start + 1];
  if (meiType !== MeiReadDeviceIdentification) {
    throw illegalFunction(`encapsulated interface transport: MEI type 0x${meiType.toString(16)} not supported`);
  }
  expectLength(length, 4, 'read device identification');
  const code = request[start + 2];
  let objectId = request[start + 3];
  if (code < ReadDeviceIdCode.Basic || code > ReadDeviceIdCode.Individual) {
    throw illegalDataValue(`read device identification: read device id code ${code} outside 1..4`);
  }
  const objects = device.identification();
  const ids = [...objects.keys()].filter((id) => id >= 0 && id <= 0xff).sort((a, b) => a - b);

  response[responseOffset] = 0x2b;
  response[responseOffset + 1] = MeiReadDeviceIdentification;
  response[responseOffset + 2] = code;
  response[responseOffset + 3] = conformityLevel(ids);
  let cursor = responseOffset + headerLength;

  if (code === ReadDeviceIdCode.Individual) {
    const value = objects.get(objectId);
    if (value === undefined) {
      throw new ModbusError(ExceptionCode.IllegalDataAddress, `read device identification: no object 0x${objectId.toString(16)}`);
    }
    const bytes = objectBytes(value);
    response[cursor] = objectId;
    response[cursor + 1] = bytes.length;
    response.set(bytes, cursor + 2);
    cursor += 2 + bytes.length;
    response[responseOffset + 4] = 0x00;
    response[responseOffset + 5] = 0x00;
    response[responseOffset + 6] = 1;
    return cursor - responseOffset;
  }

  const lastId = categoryLastId(code);
  const inCategory = ids.filter((id) => id <= lastId);
  if (!inCategory.includes(objectId)) objectId = 0;
  let count = 0;
  let moreFollows = 0x00;
  let nextObjectId = 0x00;
  for (const id of inCategory) {
    if (id < objectId) continue;
    const value = objects.get(id);
    if (value === undefined) continue;
    const bytes = objectBytes(value);
    if (cursor + 2 + bytes.length > responseOffset + MaxPduLength) {
      moreFollows = 0xff;
      nextObjectId = id;
      break;
    }
    response[cursor] = id;
    response[cursor + 1] = bytes.length;
    response.set(bytes, cursor + 2);
    cursor += 2 + bytes.length;
    count += 1;
  }
  response[responseOffset + 4] = moreFollows;
  response[responseOffset + 5] = nextObjectId;
  response[responseOffset + 6] = count;
  return cursor - responseOffset;
}
