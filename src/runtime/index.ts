/**
 * The runtime as a library (re-exported from src/index.ts): run a panel of meters from a spec,
 * flags or a config file; read a meter back through a profile. Errors are typed (SpecError,
 * ConfigError, RunFailure), never exit codes. See docs/runtime.md.
 */
export { startPanel, Panel, panelClock, DEFAULT_TICK_MS, DEFAULT_FLUSH_MS, type StartPanelOptions, type PanelEndpoint, type SerialEndpointOpener } from './panel.js';
export type { PanelSpec, MeterSpec, EndpointSpec, TcpEndpointSpec, RtuEndpointSpec, RtuOverTcpEndpointSpec, UnitBinding, RtuLineSettings, Parity, SpecOrigin } from './panel-spec.js';
export { checkPanelSpec, panelSpecProblems } from './check-panel-spec.js';
export type { PanelMeter, PanelClock, MeterFactory, MeterFactoryContext, RegisterProbe } from './panel-meter.js';
export type { OpenEndpoint } from './endpoints/endpoint.js';
export type { ControlOptions, PanelControl } from './control-binding.js';
export { defaultMeterFactory, registerMapFor } from './meters/default-meter-factory.js';
export { withDemoProfile, DEMO_PROFILE } from './meters/demo-meter-factory.js';
export { FleetTicker, type FleetTickerOptions, type Tickable } from './fleet-ticker.js';
export { StateFlush } from './state-flush.js';
export { panelFromFlags, MAX_UNITS_PER_LINE, DEFAULT_TCP, type ServeFlags } from './config/panel-from-flags.js';
export { loadPanelConfig, parsePanelConfig } from './config/load-panel-config.js';
export { panelConfigSchema, endpointSchemas, type PanelConfigFile } from './config/panel-config-schema.js';
export { ConfigError, type ConfigProblem } from './config/config-error.js';
export { formatProblem, type SourceProblem } from '../common/source-problem.js';
export { DEFAULT_PROFILE, DEFAULT_SOURCE, DEFAULT_RTU_LINE, FIRST_SERIAL_NUMBER } from './config/meter-defaults.js';
export { readMeter, readOnce, openReadTransport, type ReadMeterOptions, type ReadTarget } from './read/read-meter.js';
export { planReads, decodeBlock, type ReadBlock, type DecodedValue } from './read/read-plan.js';
export type { ReadResult } from './read/read-result.js';
export { StreamLogger, silentLogger, LOG_LEVELS, isLogLevel, type Logger, type LogLevel } from './log/logger.js';
export { RuntimeError, SpecError, RunFailure } from './runtime-error.js';
