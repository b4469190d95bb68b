/**
 * The primary's line to one worker's control API (loopback, the worker's secret): a request out,
 * the worker's status and JSON answer back, untouched. A worker that does not answer (it exited,
 * it is stuck) is a 502 answer naming the worker, never an exception out of the primary.
 */
import { errorMessage } from '../../common/error-message.js';

/** A worker's answer: its HTTP status and its JSON body. */
export interface WorkerAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface WorkerRequest {
  readonly method: string;
  /** Path and query, e.g. /faults?meter=m3 */
  readonly target: string;
  readonly body?: string | undefined;
  readonly contentType?: string | undefined;
}

/** How long the primary waits for a worker's answer before it answers 502 itself. */
const WORKER_TIMEOUT_MS = 30_000;

export class WorkerLink {
  constructor(
    /** 1..N */
    readonly index: number,
    readonly count: number,
    readonly url: string,
    private readonly token: string,
  ) {}

  get name(): string {
    return `worker ${this.index}/${this.count}`;
  }

  async ask(request: WorkerRequest): Promise<WorkerAnswer> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
    if (request.contentType !== undefined) headers['Content-Type'] = request.contentType;
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.url}${request.target}`, { method: request.method, headers, body: request.body, signal: AbortSignal.timeout(WORKER_TIMEOUT_MS) });
      text = await response.text();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { status: 502, body: { error: `${this.name} did not answer (${cause ?? errorMessage(error)})` } };
    }
    try {
      return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as unknown) };
    } catch {
      return { status: 502, body: { error: `${this.name} answered something that is not JSON (HTTP ${response.status})` } };
    }
  }
}
