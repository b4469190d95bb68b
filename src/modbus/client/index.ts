/** A small transport-agnostic Modbus client (used by `submeter read`; no third-party Modbus code). */
export * from './client-transport.js';
export * from './modbus-client.js';
export * from './modbus-exception-response.js';
export * from './stream-transport.js';
export * from './mbap-framing.js';
export * from './rtu-framing.js';
export * from './connect.js';
