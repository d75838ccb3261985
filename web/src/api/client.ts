import { ApiError } from './api-error';

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  /** `headers` adds request headers, e.g. an Idempotency-Key so a retried write counts once. */
  send<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

/**
 * The one way the dashboard talks to the API: adds the key, sends and reads JSON, and turns a
 * problem+json answer (or no answer) into an ApiError. A 401 also tells the session, which
 * goes back to sign-in.
 */
export function createClient(key: string, onUnauthorized: (error: ApiError) => void): ApiClient {
  async function call<T>(method: string, path: string, body: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: {
          accept: 'application/json, application/problem+json',
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...extraHeaders,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new ApiError(0, { code: 'NETWORK', title: 'No answer from the server', detail: err instanceof Error ? err.message : String(err) });
    }
    const text = await res.text();
    const parsed: unknown = text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : undefined;
    if (res.ok) return parsed as T;
    const error = new ApiError(res.status, typeof parsed === 'object' && parsed !== null ? parsed : { detail: text.slice(0, 300) });
    if (res.status === 401) onUnauthorized(error);
    throw error;
  }
  return {
    get: (path) => call('GET', path, undefined),
    send: (method, path, body, headers) => call(method, path, body, headers),
  };
}
