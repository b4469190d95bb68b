/**
 * modbus-serial is CommonJS (`module.exports = ModbusRTU`) but its typings declare an ES default
 * export, which NodeNext resolution does not map onto module.exports. Load it with require and
 * give it the typings' class types, so tests and benchmarks construct it without `any`.
 */
import { createRequire } from 'node:module';
import type { ModbusRTU as ModbusRTUClass } from 'modbus-serial/ModbusRTU.js';
import type { ServerTCP as ServerTCPClass } from 'modbus-serial/ServerTCP.js';

const require = createRequire(import.meta.url);
const loaded = require('modbus-serial') as typeof ModbusRTUClass & { ServerTCP: typeof ServerTCPClass };

export const ModbusRTU: typeof ModbusRTUClass = loaded;
export const ServerTCP: typeof ServerTCPClass = loaded.ServerTCP;
