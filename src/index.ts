/** Library entry point: `import { ... } from 'submeter'`. */
export * from './modbus/device.js';
export * from './modbus/exception.js';
export * from './modbus/index.js';
export * from './modbus/rtu/index.js';
export type * from './waveform/sample-block.js';
export * from './waveform/index.js';
export * from './metrology/measurement.js';
export * from './metrology/index.js';
export * from './meter/snapshot.js';
export type * from './meter/commands.js';
export type * from './meter/measurement-source.js';
