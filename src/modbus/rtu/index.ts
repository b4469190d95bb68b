/** Modbus RTU: framing, the bus of unit ids, serial and RTU-over-TCP transports, virtual serial pairs. */
export * from './crc16.js';
export * from './rtu-timing.js';
export * from './request-length.js';
export * from './broadcast-policy.js';
export * from './rtu-request-framer.js';
export * from './rtu-bus.js';
export * from './rtu-link.js';
export * from './serial-line-settings.js';
export * from './rtu-serial-server.js';
export * from './rtu-over-tcp-server.js';
export * from './virtual-serial-pair.js';
