/**
 * Checks that a response PDU is a well-formed answer to a request PDU: either an exception
 * (fc | 0x80, one known exception code) or the normal response layout of that function code with
 * lengths that follow from the request. Returns a description of what is wrong, or undefined.
 */
const exceptionCodes = new Set([0x01, 0x02, 0x03, 0x04, 0x06, 0x0b]);

function u16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] << 8) | bytes[offset + 1];
}

function sameBytes(a: Uint8Array, b: Uint8Array, count: number): boolean {
  if (a.length < count || b.length < count) return false;
  for (let i = 0; i < count; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

export function responseProblem(request: Uint8Array, response: Uint8Array): string | undefined {
  if (response.length === 0) return 'empty response';
  const fc = request[0];
  if (response[0] === ((fc | 0x80) & 0xff)) {
    if (response.length !== 2) return `exception response of ${response.length} bytes`;
    if (!exceptionCodes.has(response[1])) return `unknown exception code ${response[1]}`;
    return undefined;
  }
  if (response[0] !== fc) return `function code ${response[0]} answers ${fc}`;
  switch (fc) {
    case 0x01:
    case 0x02: {
      const n = Math.ceil(u16(request, 3) / 8);
      return response.length === 2 + n && response[1] === n ? undefined : `bit read of ${response.length} bytes`;
    }
    case 0x03:
    case 0x04: {
      const n = 2 * u16(request, 3);
      return response.length === 2 + n && response[1] === n ? undefined : `register read of ${response.length} bytes`;
    }
    case 0x05:
    case 0x06:
    case 0x0f:
    case 0x10:
      return response.length === 5 && sameBytes(request, response, 5) ? undefined : 'write response does not echo address/quantity';
    case 0x16:
      return response.length === 7 && sameBytes(request, response, 7) ? undefined : 'mask write does not echo';
    case 0x17: {
      const n = 2 * u16(request, 3);
      return response.length === 2 + n && response[1] === n ? undefined : `read/write of ${response.length} bytes`;
    }
    case 0x2b: {
      if (response.length < 7 || response[1] !== 0x0e || response[2] !== request[2]) return 'bad device identification header';
      let cursor = 7;
      for (let i = 0; i < response[6]; i += 1) {
        if (cursor + 2 > response.length) return 'device identification object truncated';
        cursor += 2 + response[cursor + 1];
      }
      return cursor === response.length ? undefined : 'device identification length mismatch';
    }
    case 0x08:
      return response.length >= 3 ? undefined : 'short diagnostics response';
    case 0x11:
      return response.length === 2 + response[1] ? undefined : 'report server id length mismatch';
    default:
      return `normal response to unsupported function ${fc}`;
  }
}
