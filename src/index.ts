/**
 * Library entry point: `import { ... } from 'submeter'`. A deliberate public API, layer by layer as
 * in docs/architecture.md: what a library user runs, configures, reads and extends. Anything not
 * named here (framers, kernels, schema internals) is internal and may change without notice.
 */

// runtime: run a panel of meters as `submeter serve` does; read a meter back as `submeter read` does
export {
  startPanel,
  Panel,
  panelFromFlags,
  loadPanelConfig,
  parsePanelConfig,
  checkPanelSpec,
  panelSpecProblems,
  defaultMeterFactory,
  registerMapFor,
  withDemoProfile,
  readMeter,
  readOnce,
  openReadTransport,
  planReads,
  decodeBlock,
  StreamLogger,
  silentLogger,
  RuntimeError,
  SpecError,
  RunFailure,
  ConfigError,
  DEFAULT_TICK_MS,
  DEFAULT_FLUSH_MS,
  DEFAULT_PROFILE,
  DEFAULT_SOURCE,
  DEFAULT_TCP,
} from './runtime/index.js';
export type {
  StartPanelOptions,
  PanelEndpoint,
  SerialEndpointOpener,
  PanelSpec,
  MeterSpec,
  EndpointSpec,
  TcpEndpointSpec,
  RtuEndpointSpec,
  RtuOverTcpEndpointSpec,
  UnitBinding,
  RtuLineSettings,
  PanelMeter,
  PanelClock,
  MeterFactory,
  MeterFactoryContext,
  OpenEndpoint,
  ControlOptions,
  PanelControl,
  ServeFlags,
  ReadMeterOptions,
  ReadTarget,
  ReadResult,
  DecodedValue,
  Logger,
  LogLevel,
  ConfigProblem,
} from './runtime/index.js';
export { formatProblem, type SourceProblem } from './common/source-problem.js';

// control: physical scenarios, comm faults and timelines on a running meter, over HTTP or in process
export {
  FaultController,
  ControlError,
  startControlServer,
  createControlClient,
  ControlClientError,
  controlOpenApi,
  parseTimeline,
  TimelinePlayer,
  TimelineError,
  parsePhysicalScenario,
  PHYSICAL_SCENARIO_KINDS,
  DEFAULT_CONTROL_PORT,
} from './control/index.js';
export type { ControlClient, ControlServer, ControlServerOptions } from './control/index.js';
export type { HttpPage } from './control/http/http-page.js';

// HTTP outputs over a running panel: mount them on its control server (server.mount(page))
export { metricsPage } from './metrics/metrics-page.js';
export { panelMetrics, DEFAULT_PER_METER_LIMIT, type PanelMetrics, type PanelMetricsOptions } from './metrics/panel-metrics.js';
export { healthPage, panelHealth, type HealthReport } from './metrics/health-page.js';
export { dashboardPages, type DashboardPages } from './dashboard/dashboard-pages.js';

// register maps: load, check and document a map; serve a meter through it
export {
  loadRegisterMap,
  loadMapFile,
  loadMapText,
  profileNames,
  MapLoadError,
  RegisterMapDevice,
  renderMap,
  QUANTITIES,
  SETTINGS,
  COMMANDS,
  loadDefinitionTable,
  checkDefinition,
  mapExpectation,
  renderDefinitionCheck,
} from './registers/index.js';
export type { RegisterMap, MappedRegister, Quantity, Setting, CommandName, DefinitionTable, CheckedRegister } from './registers/index.js';

// meter: the meter over time, pure given a clock; its state and persistence
export { Meter, DEFAULT_IDENTITY } from './meter/meter.js';
export { createMeter } from './meter/create-meter.js';
export { RealClock, SimulatedClock, ManualClock, type Clock } from './meter/clock.js';
export { DEFAULT_CONFIGURATION } from './meter/meter-configuration.js';
export { DEFAULT_TARIFF_CALENDAR } from './meter/tariff-calendar.js';
export { EventKind } from './meter/events/event-kind.js';
export { FileStateStore } from './meter/store/file-state-store.js';
export { loadProfileToCsv } from './meter/load-profile-csv.js';
export type { MeterSnapshot } from './meter/snapshot.js';
export type { MeterCommands } from './meter/commands.js';

// metrology: one window of samples -> measurements; the sample and analytic (phasor) paths
export {
  measureWindow,
  measureBlock,
  measureStream,
  summarizeWindows,
  harmonicPhasors,
  sequenceComponents,
  wrapAngle,
  cyclesPerWindowFor,
  openMeasurementSource,
  sampleMeasurementSource,
  phasorMeasurementSource,
} from './metrology/index.js';
export type { MeasurementSource } from './metrology/index.js';
export type { WindowMeasurement } from './metrology/measurement.js';

// waveform: sources of samples
export { openWaveformSource, SyntheticSource, SCENARIO_NAMES, readComtrade, CsvSource, WaveformFileError } from './waveform/index.js';
export type { SampleBlock } from './waveform/sample-block.js';

// modbus: the protocol, knowing nothing about meters: servers, the device seam, a client
export {
  ModbusTcpServer,
  ModbusTlsServer,
  RtuSerialServer,
  RtuOverTcpServer,
  UnitRouter,
  MemoryDevice,
  ModbusClient,
  connectTcp,
  connectRtuOverTcp,
  openRtuSerial,
  openVirtualSerialPair,
  ModbusError,
  ModbusExceptionResponse,
  ModbusTimeoutError,
  ExceptionCode,
  exceptionName,
  mbapFraming,
  rtuFraming,
  crc16Modbus,
  CommFaultPolicy,
} from './modbus/index.js';
export { EndpointCounters } from './modbus/endpoint-counters.js';
export type { ModbusDevice, FramingDescriptor, RequestAuthorizer, TlsPeer } from './modbus/index.js';
