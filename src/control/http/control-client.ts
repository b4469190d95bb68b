/**
 * The typed client of the control API (used by `submeter ctl` and by tests). Its methods are the
 * route table's keys (control-routes.ts) and each answers with what that route's handler returns,
 * as it arrives over JSON:
 *
 *   const api = createControlClient({ url: 'http://127.0.0.1:8502' });
 *   const { meters } = await api.listMeters();
 *   const { events } = await api.events({ params: { id: 'm1' }, query: { count: 10 } });
 *   await api.applyFault({ query: { meter: 'm1' }, body: { kind: 'no-response', count: 5 } });
 *
 * Errors carry the server's message: "no meter \"m9\"" rather than "HTTP 404".
 */
import { controlRoutes, type ControlRouteName, type ControlRoutes } from './control-routes.js';
import type { AnyRoute, JsonBody, PathParamName, PathParams, QueryParameters, QueryValues, TextBody, Wire } from './route-definition.js';

export class ControlClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlClientError';
  }
}

/**
 * A JSON body sent as given, for the server to validate: what a caller holds when it has not
 * checked the body itself (`submeter ctl` building a fault from flags; a test of the 400s).
 */
export class UncheckedBody {
  constructor(readonly value: unknown) {}
}

export interface ControlClientOptions {
  /** Base URL, e.g. http://127.0.0.1:8502 */
  url: string;
  token?: string;
}

type Route<K extends ControlRouteName> = ControlRoutes[K];

type ParamsInput<P extends string> = [PathParamName<P>] extends [never] ? unknown : { params: PathParams<P> };
type QueryInput<Q extends QueryParameters> = [keyof Q] extends [never] ? unknown : { query?: { [N in keyof Q]?: Exclude<QueryValues<Q>[N], undefined> } };
type BodyInput<B> = [B] extends [never] ? unknown : B extends TextBody ? { body: string } : B extends JsonBody<infer T> ? { body: T | UncheckedBody } : unknown;

/** What a route's method takes: its path parameters, query and body, each only when the route has them. */
export type ControlRequest<K extends ControlRouteName> = ParamsInput<Route<K>['path']> & QueryInput<NonNullable<Route<K>['query']>> & BodyInput<NonNullable<Route<K>['body']>>;

/** What a route answers with: its handler's result as it arrives over JSON. */
export type ControlResponse<K extends ControlRouteName> = Wire<ReturnType<Route<K>['handle']>>;

/** The argument list of a route's method: none needed when the route has no path parameters and no body. */
export type ControlRequestArgs<K extends ControlRouteName> = Record<never, never> extends ControlRequest<K> ? [request?: ControlRequest<K>] : [request: ControlRequest<K>];

/** One method per route of the table. */
export type ControlApi = { [K in ControlRouteName]: (...args: ControlRequestArgs<K>) => Promise<ControlResponse<K>> };

export type ControlClient = ControlApi & {
  /** The base URL, without a trailing slash. */
  readonly url: string;
  /** Call a route by name (what the methods do). */
  call<K extends ControlRouteName>(name: K, ...args: ControlRequestArgs<K>): Promise<ControlResponse<K>>;
  /** Any request, untyped: for paths outside the table (a test of the 404s). */
  request(method: string, path: string, body?: string, contentType?: string): Promise<unknown>;
};

/** The request as the client handles it for any route. */
interface LooseRequest {
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export function createControlClient(options: ControlClientOptions): ControlClient {
  const base = options.url.replace(/\/+$/, '');

  const request = async (method: string, path: string, body?: string, contentType?: string): Promise<unknown> => {
    const headers: Record<string, string> = {};
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    if (options.token !== undefined && options.token !== '') headers.Authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { method, headers, body });
    } catch (error) {
      const detail = (error as { cause?: { code?: string; message?: string } }).cause;
      const cause = detail?.code ?? detail?.message ?? (error as Error).message;
      throw new ControlClientError(0, `cannot reach the control API at ${base} (${cause}); is \`submeter serve\` running with its control API?`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new ControlClientError(response.status, `the control API answered something that is not JSON (HTTP ${response.status})`);
    }
    if (!response.ok) {
      const message = typeof parsed === 'object' && parsed !== null && 'error' in parsed ? String((parsed as { error: unknown }).error) : `HTTP ${response.status}`;
      throw new ControlClientError(response.status, message);
    }
    return parsed;
  };

  const send = (route: AnyRoute, input: LooseRequest): Promise<unknown> => {
    const path = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(input.params?.[name] ?? ''));
    const query = Object.entries(input.query ?? {})
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
      .join('&');
    const target = query === '' ? path : `${path}?${query}`;
    const body = route.body;
    if (body === undefined) return request(route.method, target);
    if (body.kind === 'text') return request(route.method, target, String(input.body), body.contentType);
    const value = input.body instanceof UncheckedBody ? input.body.value : input.body;
    return request(route.method, target, JSON.stringify(value), 'application/json');
  };

  // The JSON boundary: a route's answer is trusted to be what its handler returned (the server
  // serialises exactly that), and every request type above is a LooseRequest.
  const call = <K extends ControlRouteName>(name: K, ...args: ControlRequestArgs<K>): Promise<ControlResponse<K>> => {
    const route: AnyRoute = controlRoutes[name];
    return send(route, (args[0] ?? {}) as LooseRequest) as Promise<ControlResponse<K>>;
  };

  // One method per route, made from the table: the object has every key of ControlApi.
  const methods: Record<string, (request?: LooseRequest) => Promise<unknown>> = {};
  for (const [name, route] of Object.entries(controlRoutes)) methods[name] = (input?: LooseRequest) => send(route, input ?? {});
  return { ...(methods as unknown as ControlApi), url: base, call, request };
}
