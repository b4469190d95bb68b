/** The Modbus protocol core, transport-agnostic. */
export * from './device.js';
export * from './exception.js';
export * from './memory-device.js';
export * from './serial-diagnostics.js';
export * from './unit-router.js';
export * from './pdu/function-code.js';
export * from './pdu/quantity-limits.js';
export * from './pdu/request-context.js';
export * from './pdu/handle-request.js';
export * from './pdu/exception-response.js';
export * from './pdu/diagnostics.js';
export * from './pdu/read-device-identification.js';
export * from './pdu/report-server-id.js';
export * from './tcp/index.js';
