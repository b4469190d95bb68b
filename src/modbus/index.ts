/**
 * The Modbus layer's public surface: the device seam, the protocol core, the servers (TCP, RTU on
 * a serial line, RTU over TCP), the client, the framing descriptors, the exceptions and the
 * communication-fault mechanics. Framer internals (the RTU request framer, TCP connections, the
 * client's stream transport) are not part of it. This layer imports no meter, register, waveform
 * or metrology code.
 */
// device seam, router, memory device
export * from './device.js';
export * from './unit-router.js';
export * from './memory-device.js';
export * from './serial-diagnostics.js';
// exceptions
export * from './exception.js';
// protocol core (PDUs)
export * from './pdu/function-code.js';
export * from './pdu/quantity-limits.js';
export * from './pdu/request-context.js';
export * from './pdu/handle-request.js';
export * from './pdu/exception-response.js';
export * from './pdu/diagnostics.js';
export * from './pdu/read-device-identification.js';
export * from './pdu/report-server-id.js';
// framing descriptors
export type { FrameError, FramingDescriptor, FramingName, MbapHeaderError } from './framing/framing-descriptor.js';
export { LengthEndsAtCrc, LengthInvalid, LengthUnknown, NeedMoreBytes } from './framing/length-result.js';
export { MaxMbapAduLength, MbapHeaderLength, mbapFraming } from './framing/mbap-framing.js';
export { MaxRtuAduLength, MinRtuAduLength, rtuFraming } from './framing/rtu-framing.js';
export { functionShapes, type FunctionShape, type PduLengthRule } from './framing/function-shapes.js';
export { crc16Modbus } from './framing/crc16.js';
// Modbus/TCP server
export { ModbusTcpServer, type ModbusTcpServerEvents, type ModbusTcpServerOptions } from './tcp/tcp-server.js';
// Modbus/TCP Security: MBAP inside TLS, client certificates, roles (the authorization seam)
export { allowEverything, refuseEverything, type RequestAuthorizer } from './request-authorizer.js';
export { ModbusTlsServer, modbusTlsPort, type ModbusTlsServerOptions } from './tls/tls-server.js';
export type { TlsPeer } from './tls/tls-peer.js';
export { certificateExtensions, clientUsageProblem, roleExtensionOid, type CertificateExtensions } from './tls/certificate-extensions.js';
// RTU: the bus of unit ids, serial and RTU-over-TCP servers, line settings, virtual serial pairs
export { RtuBus, type RtuBusServer } from './rtu/rtu-bus.js';
export type { RtuDropReason, RtuFramerCounters } from './rtu/rtu-request-framer.js';
export * from './rtu/broadcast-policy.js';
export * from './rtu/rtu-timing.js';
export * from './rtu/serial-line-settings.js';
export * from './rtu/rtu-serial-server.js';
export * from './rtu/rtu-over-tcp-server.js';
export * from './rtu/virtual-serial-pair.js';
// client
export * from './client/client-transport.js';
export * from './client/modbus-client.js';
export * from './client/modbus-exception-response.js';
export * from './client/connect.js';
// communication faults (mechanics; the control API drives them)
export type * from './faults/comm-fault.js';
export * from './faults/comm-fault-policy.js';
export * from './faults/comm-fault-schema.js';
export * from './faults/frame-mutation.js';
export * from './faults/serve-with-fault.js';
