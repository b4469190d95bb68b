/**
 * The whole exception answer to a request, in the request's framing (same unit id, and on MBAP
 * the same transaction id). For the fault path (an injected exception); allocates.
 */
import { writeExceptionResponse } from '../pdu/exception-response.js';
import type { FramingDescriptor } from './framing-descriptor.js';

export function exceptionFrame(framing: FramingDescriptor, request: Uint8Array, requestStart: number, code: number): Uint8Array {
  const frame = new Uint8Array(framing.headerLength + 2 + framing.checksumLength);
  const pduLength = writeExceptionResponse(frame, framing.headerLength, request[requestStart + framing.headerLength], code);
  framing.seal(frame, 0, pduLength, request[requestStart + framing.unitIdOffset], framing.transactionId(request, requestStart));
  return frame;
}
