/** Live control and fault injection (docs/control.md). */
export * from './physical-scenario.js';
export type * from './physical-target.js';
export * from './synthetic-physical-target.js';
export * from './scenario-runner.js';
export type * from './control-registry.js';
export * from './control-error.js';
export * from './fault-controller.js';
export * from './http/control-routes.js';
export type * from './http/route-definition.js';
export * from './http/control-server.js';
export * from './http/control-client.js';
export * from './http/openapi.js';
export * from './timeline/duration.js';
export * from './timeline/parse-timeline.js';
export * from './timeline/timeline-player.js';
export type * from './timeline/timeline-schema.js';
