import type { ModbusDevice } from '../device.js';
import { ExceptionCode, ModbusError } from '../exception.js';
import { diagnostics, DiagnosticsSubFunction } from './diagnostics.js';
import { writeExceptionResponse } from './exception-response.js';
import { FunctionCode, MaxPduLength } from './function-code.js';
import { maskWriteRegister } from './mask-write-register.js';
import { readU16 } from './pdu-bytes.js';
import { readBits } from './read-bits.js';
import { readDeviceIdentification } from './read-device-identification.js';
import { readRegisters } from './read-registers.js';
import { readWriteMultipleRegisters } from './read-write-multiple-registers.js';
import { reportServerId } from './report-server-id.js';
import { tcpContext, type RequestContext } from './request-context.js';
import { writeMultipleCoils } from './write-multiple-coils.js';
import { writeMultipleRegisters } from './write-multiple-registers.js';
import { writeSingleCoil } from './write-single-coil.js';
import { writeSingleRegister } from './write-single-register.js';

function dispatch(
  device: ModbusDevice,
  request: Uint8Array,
  start: number,
  length: number,
  response: Uint8Array,
  responseOffset: number,
  context: RequestContext,
): number {
  switch (request[start]) {
    case FunctionCode.ReadCoils:
    case FunctionCode.ReadDiscreteInputs:
      return readBits(device, request, start, length, response, responseOffset);
    case FunctionCode.ReadHoldingRegisters:
    case FunctionCode.ReadInputRegisters:
      return readRegisters(device, request, start, length, response, responseOffset);
    case FunctionCode.WriteSingleCoil:
      return writeSingleCoil(device, request, start, length, response, responseOffset);
    case FunctionCode.WriteSingleRegister:
      return writeSingleRegister(device, request, start, length, response, responseOffset);
    case FunctionCode.WriteMultipleCoils:
      return writeMultipleCoils(device, request, start, length, response, responseOffset);
    case FunctionCode.WriteMultipleRegisters:
      return writeMultipleRegisters(device, request, start, length, response, responseOffset);
    case FunctionCode.MaskWriteRegister:
      return maskWriteRegister(device, request, start, length, response, responseOffset);
    case FunctionCode.ReadWriteMultipleRegisters:
      return readWriteMultipleRegisters(device, request, start, length, response, responseOffset);
    case FunctionCode.EncapsulatedInterface:
      return readDeviceIdentification(device, request, start, length, response, responseOffset);
    case FunctionCode.Diagnostics:
      return diagnostics(context.diagnostics, request, start, length, response, responseOffset);
    case FunctionCode.ReportServerId:
      if (context.reportServerId !== true) throw new ModbusError(ExceptionCode.IllegalFunction, 'report server id is a serial-line function');
      return reportServerId(device, length, response, responseOffset);
    default:
      throw new ModbusError(ExceptionCode.IllegalFunction, `function code ${request[start]} not supported`);
  }
}

/**
 * The transport-agnostic request handler: one request PDU (request[start .. start+length)) in, one
 * response PDU written at response[responseOffset..] (at least 253 bytes must be free). Returns the
 * response length, or 0 when nothing must be sent (broadcast, listen-only mode, FC08 04).
 *
 * Exceptions follow the specification's state diagrams: 01 unsupported function, 03 quantity or
 * byte count/length out of range, 02 address range leaving the device's map (the device throws
 * ModbusError 02), 04 any other device failure. Never throws.
 */
export function handleRequest(
  device: ModbusDevice,
  request: Uint8Array,
  start: number,
  length: number,
  response: Uint8Array,
  responseOffset: number,
  context: RequestContext,
): number {
  const serial = context.diagnostics;
  if (length < 1) return 0;
  if (serial !== undefined) {
    serial.serverMessageCount += 1;
    const isRestart =
      request[start] === FunctionCode.Diagnostics && length >= 3 && readU16(request, start + 1) === DiagnosticsSubFunction.RestartCommunications;
    if (serial.listenOnly && !isRestart) {
      serial.serverNoResponseCount += 1;
      return 0;
    }
  }
  let responseLength: number;
  try {
    device.beginRequest?.(context);
    responseLength = dispatch(device, request, start, length, response, responseOffset, context);
  } catch (error) {
    const code: number = error instanceof ModbusError ? error.code : ExceptionCode.ServerDeviceFailure;
    responseLength = writeExceptionResponse(response, responseOffset, request[start], code);
    if (serial !== undefined && context.broadcast !== true) {
      // counted when returned (a broadcast is never answered)
      serial.busExceptionErrorCount += 1;
      if (code === ExceptionCode.ServerDeviceBusy) serial.serverBusyCount += 1;
      if (code === 0x07) serial.serverNakCount += 1;
    }
  }
  if (context.broadcast === true || responseLength === 0) {
    if (serial !== undefined) serial.serverNoResponseCount += 1;
    return 0;
  }
  return responseLength;
}

/**
 * Convenience entry point: one request PDU in, the response PDU out (empty when nothing must be
 * sent). Allocates; transports on a hot path use handleRequest with their own buffers.
 */
export function processRequest(device: ModbusDevice, requestPdu: Uint8Array, context: RequestContext = tcpContext): Uint8Array {
  const response = new Uint8Array(MaxPduLength);
  const length = handleRequest(device, requestPdu, 0, requestPdu.length, response, 0, context);
  return response.slice(0, length);
}
