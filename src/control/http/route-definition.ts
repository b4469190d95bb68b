/**
 * What one route of the control API is: method, path pattern, query parameters, request body,
 * success status and response, error statuses, summary, and the handler. The route table
 * (control-routes.ts) is a list of these; the server dispatches on it, the OpenAPI document is
 * written from it and the typed client derives its methods and response types from it.
 */
import { ControlError } from '../control-error.js';
import type { FaultController } from '../fault-controller.js';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** A JSON Schema (or OpenAPI object) fragment. */
export type JsonObject = Record<string, unknown>;

/** The names in a path pattern: `'/meters/{id}/scenarios/{scenarioId}'` -> `'id' | 'scenarioId'`. */
export type PathParamName<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParamName<Rest> : never;

/** The path parameters of a pattern, decoded. */
export type PathParams<P extends string> = { [K in PathParamName<P>]: string };

/** A query parameter: how the server reads it (absent -> its default) and how OpenAPI describes it. */
export interface QueryParameter<T> {
  readonly schema: JsonObject;
  readonly description?: string;
  /** The value from the query text (null when absent); throws ControlError(400) when invalid. */
  parse(text: string | null, name: string): T;
}

export type QueryParameters = Record<string, QueryParameter<unknown>>;

/** A string query parameter; undefined when absent. */
export function stringQuery(description?: string): QueryParameter<string | undefined> {
  return { schema: { type: 'string' }, description, parse: (text) => text ?? undefined };
}

/** An integer query parameter in `minimum..maximum`, `fallback` when absent. */
export function integerQuery(minimum: number, maximum: number, fallback: number): QueryParameter<number> {
  return {
    schema: { type: 'integer', minimum, maximum, default: fallback },
    parse(text, name) {
      if (text === null) return fallback;
      const value = Number(text);
      if (!Number.isInteger(value) || value < minimum || value > maximum) throw new ControlError(400, `${name} must be an integer ${minimum}..${maximum}, got "${text}"`);
      return value;
    },
  };
}

/** The parsed query a handler gets. */
export type QueryValues<Q extends QueryParameters> = { [K in keyof Q]: Q[K] extends QueryParameter<infer T> ? T : never };

/**
 * A JSON request body described by a component schema. `T` is what a well-formed body looks
 * like (the client's type); the handler gets `unknown`, because the controller validates it.
 */
export interface JsonBody<T> {
  readonly kind: 'json';
  readonly schemaName: string;
  /** Phantom: the client's body type. */
  readonly shape?: T;
}

/** A text request body of one content type (the handler gets the text). */
export interface TextBody {
  readonly kind: 'text';
  readonly contentType: string;
}

export type RequestBody = JsonBody<unknown> | TextBody;

export function jsonBody<T>(schemaName: string): JsonBody<T> {
  return { kind: 'json', schemaName };
}

export function textBody(contentType: string): TextBody {
  return { kind: 'text', contentType };
}

/** What the handler receives for a body declaration. */
export type BodyValue<B> = B extends TextBody ? string : B extends JsonBody<unknown> ? unknown : undefined;

/** What the handler serves besides the controller. */
export interface RouteContext {
  readonly controller: FaultController;
  /** The OpenAPI document (for GET /openapi.json). */
  openApi(): JsonObject;
}

export interface RouteRequest<P extends string, Q extends QueryParameters, B> {
  params: PathParams<P>;
  query: QueryValues<Q>;
  body: BodyValue<B>;
}

export interface RouteDefinition<P extends string = string, Q extends QueryParameters = QueryParameters, B extends RequestBody | undefined = RequestBody | undefined, R = unknown> {
  readonly method: HttpMethod;
  readonly path: P;
  readonly summary: string;
  /** Query parameters by name (none when absent). */
  readonly query?: Q;
  /** The request body (none when absent). */
  readonly body?: B;
  /** The success status and its response: a description and (except for /openapi.json) a schema. */
  readonly status: 200 | 201;
  readonly response: { readonly description: string; readonly schema?: JsonObject };
  /** Error statuses this route answers with, and when. */
  readonly errors?: Partial<Record<400 | 404 | 409 | 429, string>>;
  handle(context: RouteContext, request: RouteRequest<P, Q, B>): R;
}

/** Any route of the table, as the server and the OpenAPI writer walk them. */
export type AnyRoute = RouteDefinition<string, QueryParameters, RequestBody | undefined, unknown>;

/** A route of the table; inference keeps its path, query, body and response types. */
export function route<P extends string, R, Q extends QueryParameters = Record<never, never>, B extends RequestBody | undefined = undefined>(
  definition: RouteDefinition<P, Q, B, R>,
): RouteDefinition<P, Q, B, R> {
  return definition;
}

/**
 * A value as it arrives over JSON: typed arrays (harmonics) are sent as plain arrays, functions
 * are not sent. The client's response types are the handlers' return types through this.
 */
export type Wire<T> = T extends Float64Array | Float32Array | Int32Array | Uint16Array | Uint8Array
  ? number[]
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** The segments of a path pattern: literals, and `{name}` parameters. */
export function patternSegments(path: string): { literal?: string; param?: string }[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      const match = /^\{(\w+)\}$/.exec(s);
      return match === null ? { literal: s } : { param: match[1] };
    });
}
