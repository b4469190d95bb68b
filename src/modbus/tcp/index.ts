export * from './mbap.js';
export * from './tcp-server.js';
