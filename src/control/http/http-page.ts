/**
 * What an output (the dashboard, /metrics, /healthz) mounts on the runtime's HTTP server: it is
 * offered every request that passed the request guard, before the control API's routes, and
 * answers the ones that are its own (true) or passes (false). A page never changes state on GET;
 * state changes go through the control API's routes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HttpPage {
  serve(req: IncomingMessage, res: ServerResponse, url: URL): boolean | Promise<boolean>;
}
