/** Writes an exception response (fc | 0x80, code) and returns its length, 2. */
export function writeExceptionResponse(response: Uint8Array, responseOffset: number, functionCode: number, code: number): number {
  response[responseOffset] = (functionCode | 0x80) & 0xff;
  response[responseOffset + 1] = code;
  return 2;
}
