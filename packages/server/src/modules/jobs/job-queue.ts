import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ERRORS, type JobKind } from '@gridline/shared';
import type { Db, JobsTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { Scope, type Actor } from '../../security/scope.js';
import { jobsRepository } from './jobs.repository.js';

export const JOB_INTERRUPTED = '服务重启，任务中断，请重新提交';
const JOB_INTERNAL = '任务执行失败（系统内部错误），请稍后重试或联系管理员';
/** Progress is written at most this often, so a long job costs a handful of updates per second. */
const PROGRESS_INTERVAL_MS = 250;

/** What a finished handler hands back: the job's result, an optional file for its owner, a closing message. */
export interface JobOutcome {
  result?: Record<string, unknown> | null;
  /** Path relative to the file store, and the name the owner downloads it as. */
  file?: { rel: string; name: string } | null;
  message?: string | null;
}

/** What a handler gets besides its payload. */
export interface JobContext {
  readonly jobId: string;
  /** The owner's scope as it was when the job was submitted. */
  readonly scope: Scope;
  /** Reports units done (and in all, once known); written to the database at most every 250 ms. */
  progress(done: number, total?: number, message?: string): Promise<void>;
  /** Call between batches: lets the server answer other requests, and ends the job when the runner stops. */
  checkpoint(): Promise<void>;
}

export type JobHandler<P> = (job: JobContext, payload: P) => Promise<JobOutcome>;

export interface JobLog {
  error(obj: object, msg: string): void;
}

/**
 * The seam between callers and whatever runs jobs. Handlers are registered per kind at start-up and a job
 * is only (kind, payload, owner's actor) in the `jobs` table, so a runner in another process — a
 * PostgreSQL-backed queue such as pg-boss — can take this implementation's place without touching callers.
 */
export interface JobQueue {
  register<P>(kind: JobKind, handler: JobHandler<P>): void;
  /** Records a queued job owned by the scope's user and schedules it; `payload` must be plain JSON. */
  enqueue<P extends object>(kind: JobKind, scope: Scope, payload: P, opts?: { total?: number; message?: string }): Promise<JobsTable>;
  /** Begins taking jobs; fails what a previous process left running, resumes what it left queued. */
  start(log?: JobLog): Promise<void>;
  /** Stops taking jobs and interrupts the running ones between batches (they end failed, to be resubmitted). */
  stop(): Promise<void>;
  /** Resolves once this process has nothing queued or running (tests, orderly shutdown). */
  idle(): Promise<void>;
}

class JobInterrupted extends Error {}

/** Runs jobs inside this process, `concurrency` at a time (default one: SQLite has a single writer anyway). */
export class InProcessJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler<never>>();
  private readonly pending: string[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly abort = new AbortController();
  private started = false;
  private log: JobLog | undefined;

  constructor(private readonly deps: { db: Db; clock: Clock; concurrency?: number }) {}

  register<P>(kind: JobKind, handler: JobHandler<P>): void {
    if (this.handlers.has(kind)) throw new Error(`A handler for ${kind} is already registered`);
    this.handlers.set(kind, handler as JobHandler<never>);
  }

  async enqueue<P extends object>(kind: JobKind, scope: Scope, payload: P, opts: { total?: number; message?: string } = {}): Promise<JobsTable> {
    if (!this.handlers.has(kind)) throw new Error(`No handler registered for ${kind}`);
    const now = this.deps.clock.now();
    const row: JobsTable = {
      id: newId(), kind, status: 'queued', progress: 0, total: opts.total ?? 0, message: opts.message ?? '排队中', payload: JSON.stringify(payload),
      result: null, error: null, actor: JSON.stringify(scope.actor), owner_id: scope.actor.userId, owner_node: scope.node, file_path: null, file_name: null,
      created_at: now, updated_at: now, started_at: null, finished_at: null,
    };
    await jobsRepository.insert(this.deps.db, row);
    this.pending.push(row.id);
    this.pump();
    return row;
  }

  async start(log?: JobLog): Promise<void> {
    if (this.started) return;
    this.log = log;
    const { db, clock } = this.deps;
    await jobsRepository.failRunning(db, JOB_INTERRUPTED, clock.now());
    for (const j of await jobsRepository.queued(db)) if (!this.pending.includes(j.id)) this.pending.push(j.id);
    this.started = true;
    this.pump();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.abort.abort();
    await Promise.allSettled([...this.running.values()]);
    for (const w of this.idleWaiters.splice(0)) w();
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Nothing running, and nothing this runner is going to start (a stopped runner leaves its queue for the next). */
  private isIdle(): boolean {
    return !this.running.size && !(this.started && this.pending.length);
  }

  private pump(): void {
    const limit = this.deps.concurrency ?? 1;
    while (this.started && this.running.size < limit && this.pending.length) {
      const id = this.pending.shift()!;
      const run = this.run(id).catch((err: unknown) => this.log?.error({ err, jobId: id }, 'job bookkeeping failed')).finally(() => {
        this.running.delete(id);
        this.pump();
        if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
      });
      this.running.set(id, run);
    }
  }

  private async run(id: string): Promise<void> {
    const { db, clock } = this.deps;
    const row = await jobsRepository.byId(db, id);
    if (!row || row.status !== 'queued') return;
    const handler = this.handlers.get(row.kind);
    if (!handler) {
      await jobsRepository.update(db, id, { status: 'failed', error: `未知的任务类型 ${row.kind}`, updated_at: clock.now(), finished_at: clock.now() });
      return;
    }
    if (!(await jobsRepository.claim(db, id, clock.now()))) return;
    let lastWrite = performance.now();
    let state = { progress: 0, total: row.total, message: '处理中' as string | null };
    const signal = this.abort.signal;
    const ctx: JobContext = {
      jobId: id,
      scope: new Scope(JSON.parse(row.actor) as Actor),
      progress: async (done, total, message) => {
        state = { progress: done, total: total ?? state.total, message: message ?? state.message };
        if (performance.now() - lastWrite < PROGRESS_INTERVAL_MS) return;
        lastWrite = performance.now();
        await jobsRepository.update(db, id, { ...state, updated_at: clock.now() });
      },
      checkpoint: async () => {
        await yieldToEventLoop();
        if (signal.aborted) throw new JobInterrupted();
      },
    };
    try {
      const out = await handler(ctx, JSON.parse(row.payload) as never);
      const now = clock.now();
      await jobsRepository.update(db, id, {
        status: 'succeeded', progress: Math.max(state.progress, state.total), total: state.total, message: out.message ?? '已完成',
        result: out.result ? JSON.stringify(out.result) : null, file_path: out.file?.rel ?? null, file_name: out.file?.name ?? null, updated_at: now, finished_at: now,
      });
    } catch (err) {
      const now = clock.now();
      await jobsRepository.update(db, id, { ...state, status: 'failed', message: '失败', error: this.describe(err, id), updated_at: now, finished_at: now });
    }
  }

  /** A failure as its owner reads it: the domain message when there is one, never a stack trace. */
  private describe(err: unknown, id: string): string {
    if (err instanceof JobInterrupted) return JOB_INTERRUPTED;
    if (err instanceof AppError) {
      const detail = err.fields?.[0]?.message;
      return detail ? `${ERRORS[err.code].zh}：${detail}` : ERRORS[err.code].zh;
    }
    this.log?.error({ err, jobId: id }, 'job failed');
    return JOB_INTERNAL;
  }
}
