/**
 * modbus-serial is CommonJS (`module.exports = ModbusRTU`) while its typings declare an ES default
 * export that NodeNext does not map onto module.exports: load it with require, typed by its class.
 */
import { createRequire } from 'node:module';
import type { ModbusRTU as ModbusRTUClass } from 'modbus-serial/ModbusRTU.js';

const require = createRequire(import.meta.url);
export const ModbusRTU = require('modbus-serial') as typeof ModbusRTUClass;
export type ModbusRTU = ModbusRTUClass;
