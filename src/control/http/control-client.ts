/**
 * A small typed client of the control API (used by `submeter ctl` and by tests). Errors carry
 * the server's message: "no meter \"m9\"" rather than "HTTP 404".
 */
export class ControlClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlClientError';
  }
}

export interface ControlClientOptions {
  /** Base URL, e.g. http://127.0.0.1:8502 */
  url: string;
  token?: string;
}

export class ControlClient {
  private readonly base: string;

  constructor(private readonly options: ControlClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, JSON.stringify(body), 'application/json');
  }

  postText<T>(path: string, text: string, contentType: string): Promise<T> {
    return this.request<T>('POST', path, text, contentType);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  private async request<T>(method: string, path: string, body?: string, contentType?: string): Promise<T> {
    const headers: Record<string, string> = {};
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    if (this.options.token !== undefined && this.options.token !== '') headers.Authorization = `Bearer ${this.options.token}`;
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, { method, headers, body });
    } catch (error) {
      const detail = (error as { cause?: { code?: string; message?: string } }).cause;
      const cause = detail?.code ?? detail?.message ?? (error as Error).message;
      throw new ControlClientError(0, `cannot reach the control API at ${this.base} (${cause}); is \`submeter serve\` running with its control API?`);
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
    return parsed as T;
  }
}
