import type { FieldError } from '@gridline/shared';
import i18n from '../i18n';

/** A client-made message in both languages, from the resources. */
function both(key: string, vars: Record<string, unknown> = {}): { message: string; messageEn: string } {
  return { message: i18n.t(key, { ...vars, lng: 'zh-CN' }), messageEn: i18n.t(key, { ...vars, lng: 'en-US' }) };
}

/** An error the server sent in its one shape, or a network failure (code GRIDLINE_NETWORK). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly fields: FieldError[];
  readonly details: Record<string, unknown>;

  constructor(init: { status: number; code: string; message: string; messageEn: string; fields?: FieldError[] | undefined; details?: Record<string, unknown> | undefined }) {
    super(init.messageEn || init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.messageZh = init.message;
    this.messageEn = init.messageEn;
    this.fields = init.fields ?? [];
    this.details = init.details ?? {};
  }

  text(lang: string): string {
    return lang.startsWith('zh') ? this.messageZh || this.messageEn : this.messageEn || this.messageZh;
  }

  /** 404 on a collection endpoint: the feature is not deployed on this server yet. */
  get notAvailable(): boolean {
    return this.status === 404 || this.status === 405 || this.status === 501;
  }

  get isAuth(): boolean {
    return this.status === 401 && (this.code === 'GRIDLINE_SESSION_EXPIRED' || this.code === 'GRIDLINE_UNAUTHENTICATED');
  }
}

export const NETWORK_ERROR = 'GRIDLINE_NETWORK';

export function networkError(): ApiError {
  return new ApiError({
    status: 0,
    code: NETWORK_ERROR,
    ...both('errors.network'),
  });
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return networkError();
}

/** Session events the shell reacts to (re-login modal, forced password change). */
export type ApiEvent = 'session-expired' | 'password-change-required';
const listeners = new Set<(e: ApiEvent) => void>();
export function onApiEvent(fn: (e: ApiEvent) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
function emit(e: ApiEvent): void {
  for (const fn of listeners) fn(e);
}

export type Query = Record<string, string | number | boolean | readonly (string | number)[] | null | undefined>;

export function toSearch(query: Query | undefined): string {
  if (!query) return '';
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v as readonly (string | number)[]) sp.append(k, String(item));
    else sp.append(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  query?: Query | undefined;
  body?: unknown;
  form?: FormData;
  signal?: AbortSignal | undefined;
  /** Do not raise the session-expired event on 401 (boot probe, sign-in itself). */
  quietAuth?: boolean;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(`/api${path}${toSearch(opts.query)}`, { method, headers, body, credentials: 'same-origin', signal: opts.signal ?? null });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw networkError();
  }
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try { json = JSON.parse(text); } catch { json = undefined; }
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; messageEn?: string; fields?: FieldError[]; details?: Record<string, unknown> } } | undefined)?.error;
    const error = e?.code
      ? new ApiError({ status: res.status, code: e.code, message: e.message ?? '', messageEn: e.messageEn ?? '', fields: e.fields, details: e.details })
      : new ApiError({
          status: res.status,
          code: res.status === 404 ? 'GRIDLINE_NOT_FOUND' : 'GRIDLINE_INTERNAL',
          ...(res.status === 404 ? both('errors.notFound') : both('errors.unavailable', { status: res.status })),
        });
    if (error.isAuth && !opts.quietAuth) emit('session-expired');
    if (error.code === 'GRIDLINE_PASSWORD_CHANGE_REQUIRED') emit('password-change-required');
    throw error;
  }
  return json as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal, quietAuth = false) => request<T>('GET', path, { query, signal, quietAuth }),
  post: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('POST', path, { ...opts, body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path, {}),
};
