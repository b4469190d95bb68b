/** Register maps: loading and validation, the compiled register image, the ModbusDevice over a meter. */
export * from './map-schema.js';
export * from './map-load-error.js';
export * from './register-map.js';
export * from './load-map.js';
export * from './profiles.js';
export * from './compile-map.js';
export * from './register-image.js';
export * from './register-map-device.js';
export * from './map-documentation.js';
export * from './event-kind-codes.js';
export type * from './read-context.js';
export type { Quantity, NumericQuantity, TextQuantity } from './quantity-catalogue.js';
export { QUANTITIES } from './quantity-catalogue.js';
export { SETTINGS, COMMANDS, type CommandName, type Setting } from './setting-catalogue.js';
export * from './definitions/definition-table.js';
export * from './definitions/definition-check.js';
export * from './definitions/map-expectation.js';
export * from './definitions/definition-report.js';
