import type { FormInstance } from 'antd';
import { App } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort, toApiError, type ApiError } from './client';
import { jobsApi, type Job } from './endpoints';
import { subscribeLive } from './live';

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
  setData: (d: T | undefined) => void;
}

/** Loads data when `deps` change; aborts stale requests; keeps the previous data while reloading. */
export function useApi<T>(fn: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[], enabled = true): ApiState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState<boolean>(enabled);
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;

  useEffect(() => {
    if (!enabled) {
      setLoading(false);
      return undefined;
    }
    const ac = new AbortController();
    setLoading(true);
    setError(undefined);
    fnRef.current(ac.signal).then(
      (d) => {
        if (ac.signal.aborted) return;
        setData(d);
        setLoading(false);
      },
      (err: unknown) => {
        if (ac.signal.aborted || isAbort(err)) return;
        setError(toApiError(err));
        setLoading(false);
      },
    );
    return () => ac.abort();
  }, [...deps, tick, enabled]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}

/** Localized text of any error (server message by language, or the network message). */
export function useErrorText(): (err: unknown) => string {
  const { i18n } = useTranslation();
  return useCallback((err: unknown) => toApiError(err).text(i18n.language), [i18n.language]);
}

/** Toasts an error, except session errors (the re-login dialog handles those). */
export function useNotifyError(): (err: unknown) => void {
  const { message } = App.useApp();
  const text = useErrorText();
  return useCallback(
    (err: unknown) => {
      if (isAbort(err)) return;
      const e = toApiError(err);
      if (e.isAuth || e.code === 'GRIDLINE_PASSWORD_CHANGE_REQUIRED') return;
      void message.error(text(e));
    },
    [message, text],
  );
}

/**
 * Puts the server's field errors (`/body/<field>`) under the matching form inputs.
 * Returns the errors that matched no input (show them in a general alert).
 */
export function applyFieldErrors(form: FormInstance, err: unknown, rename: Record<string, string> = {}): { matched: number; unmatched: string[] } {
  const e = toApiError(err);
  const known = new Set(Object.keys(form.getFieldsValue(true) as Record<string, unknown>));
  const byField = new Map<string, string[]>();
  const unmatched: string[] = [];
  for (const f of e.fields) {
    const m = /^\/(?:body|query)\/([^/]+)/.exec(f.path);
    const raw = m?.[1];
    const field = raw ? (rename[raw] ?? raw) : undefined;
    if (field && known.has(field)) byField.set(field, [...(byField.get(field) ?? []), f.message]);
    else unmatched.push(f.message);
  }
  form.setFields([...byField.entries()].map(([name, errors]) => ({ name, errors })));
  return { matched: byField.size, unmatched };
}

const TERMINAL = new Set<Job['status']>(['succeeded', 'failed']);
export function isJobDone(job: Job | undefined): boolean {
  return !!job && TERMINAL.has(job.status);
}

/** Polls a background job until it finishes; the job lives on the server, so a reload can resume it. */
export function useJob(jobId: string | undefined, intervalMs = 1000): { job: Job | undefined; error: ApiError | undefined; setJob: (j: Job) => void } {
  const [job, setJob] = useState<Job | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  useEffect(() => {
    if (!jobId) {
      setJob(undefined);
      return undefined;
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ac = new AbortController();
    let delay = intervalMs;
    let busy = false;
    let again = false;
    const tick = async (): Promise<void> => {
      // One read at a time: a push that arrives mid-read asks for one more read after it.
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      try {
        const j = await jobsApi.get(jobId, ac.signal);
        if (stopped) return;
        setJob(j);
        setError(undefined);
        delay = intervalMs;
        if (TERMINAL.has(j.status)) return;
      } catch (err) {
        if (stopped || isAbort(err)) return;
        const e = toApiError(err);
        setError(e);
        if (e.isAuth || e.status === 404 || e.status === 403) return;
        delay = Math.min(delay * 2, 10_000);
      } finally {
        busy = false;
      }
      if (again) {
        again = false;
        return tick();
      }
      timer = setTimeout(() => void tick(), delay);
    };
    void tick();
    // A pushed update for this job reads it at once; polling stays as the fallback (no stream, a proxy drops it).
    const unsubscribe = subscribeLive((e) => {
      if (e.type === 'job.updated' && e.data.jobId === jobId && !stopped) void tick();
    });
    return () => {
      stopped = true;
      unsubscribe();
      ac.abort();
      if (timer) clearTimeout(timer);
    };
  }, [jobId, intervalMs]);
  return { job, error, setJob };
}
