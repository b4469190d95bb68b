/**
 * The command's capabilities as a library (re-exported from src/index.ts): run a panel of meters
 * from a spec, flags or a config file; read a meter back through a profile.
 */
export { startPanel, Panel, DEFAULT_TICK_MS, DEFAULT_FLUSH_MS, type StartPanelOptions, type PanelEndpoint, type SerialEndpointOpener } from './panel/panel.js';
export type { PanelSpec, MeterSpec, EndpointSpec, TcpEndpointSpec, RtuEndpointSpec, RtuOverTcpEndpointSpec, UnitBinding, RtuLineSettings, Parity, SpecOrigin } from './panel/panel-spec.js';
export type { PanelMeter, PanelClock, MeterFactory, MeterFactoryContext, RegisterProbe } from './panel/panel-meter.js';
export type { OpenEndpoint } from './panel/endpoint.js';
export { defaultMeterFactory, registerMapFor } from './panel/default-meter-factory.js';
export { withDemoProfile, DEMO_PROFILE } from './panel/demo-meter-factory.js';
export { FleetTicker, type FleetTickerOptions, type Tickable } from './panel/fleet-ticker.js';
export { panelFromFlags, MAX_UNITS_PER_LINE, DEFAULT_TCP, type ServeFlags } from './config/serve-flags.js';
export { loadPanelConfig, parsePanelConfig } from './config/load-panel-config.js';
export { panelConfigSchema, endpointSchemas, type PanelConfigFile } from './config/panel-config-schema.js';
export { ConfigError, type ConfigProblem } from './config/config-error.js';
export { formatProblem, type SourceProblem } from '../shared/source-problem.js';
export { DEFAULT_PROFILE, DEFAULT_SOURCE, DEFAULT_RTU_LINE, FIRST_SERIAL_NUMBER } from './config/meter-defaults.js';
export { readMeter, readOnce, openReadTransport, type ReadMeterOptions, type ReadTarget } from './read.js';
export { planReads, decodeBlock, type ReadBlock, type DecodedValue } from './read/read-plan.js';
export { formatTable, type ReadResult } from './read/format-table.js';
export { StreamLogger, silentLogger, LOG_LEVELS, isLogLevel, type Logger, type LogLevel } from './log/logger.js';
export { CliError } from './cli-error.js';
