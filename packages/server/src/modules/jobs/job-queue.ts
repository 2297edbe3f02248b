import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ERRORS, type JobKind } from '@gridline/shared';
import type { Db, JobRow } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { Scope, type Actor } from '../../security/scope.js';
import type { EventBus } from '../events/event-bus.js';
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
 * is only (kind, payload, owner's actor) in the `jobs` table, so whichever instance's runner claims it can run it.
 */
export interface JobQueue {
  register<P>(kind: JobKind, handler: JobHandler<P>): void;
  /** Records a queued job owned by the scope's user and schedules it; `payload` must be plain JSON. */
  enqueue<P extends object>(kind: JobKind, scope: Scope, payload: P, opts?: { total?: number; message?: string }): Promise<JobRow>;
  /** Begins taking jobs; fails what a dead runner left running, takes what is queued. */
  start(log?: JobLog): Promise<void>;
  /** Stops taking jobs and interrupts the running ones between batches (they end failed, to be resubmitted). */
  stop(): Promise<void>;
  /** Resolves once this runner has nothing running and finds nothing more to take (tests, orderly shutdown). */
  idle(): Promise<void>;
}

class JobInterrupted extends Error {}

/** How the runner finds work and notices dead runners; PostgreSQL deployments run several instances. */
export interface RunnerOptions {
  /** Handlers run at once in this process (default one: SQLite has a single writer anyway). */
  concurrency?: number;
  /** Look for queued jobs this often even without a wake-up event (a missed NOTIFY, a dead publisher). */
  pollMs?: number;
  /** Write this runner's heartbeat on its running jobs this often. */
  heartbeatMs?: number;
  /**
   * A running job whose heartbeat is older than this belongs to a runner that died: it is failed (it cannot
   * resume mid-way). `0` means this runner is the only one (SQLite): everything left running is failed at start.
   */
  staleAfterMs?: number;
}

/**
 * Runs jobs from the `jobs` table. Any number of runners (one per instance) may share the table: a job is
 * taken by a conditional update from `queued` to `running`, which exactly one runner wins, so each job runs
 * once. Runners are woken by a `job.queued` event on the bus and also poll, so a lost event only delays a job.
 */
export class DatabaseJobQueue implements JobQueue {
  readonly runnerId = newId();
  private readonly handlers = new Map<string, JobHandler<never>>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly idleWaiters: (() => void)[] = [];
  private abort = new AbortController();
  private started = false;
  private filling = false;
  private refill = false;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;
  private log: JobLog | undefined;

  constructor(private readonly deps: { db: Db; clock: Clock; bus?: EventBus; options?: RunnerOptions }) {}

  private get opts(): Required<RunnerOptions> {
    return { concurrency: 1, pollMs: 2000, heartbeatMs: 10_000, staleAfterMs: 0, ...this.deps.options };
  }

  register<P>(kind: JobKind, handler: JobHandler<P>): void {
    if (this.handlers.has(kind)) throw new Error(`A handler for ${kind} is already registered`);
    this.handlers.set(kind, handler as JobHandler<never>);
  }

  async enqueue<P extends object>(kind: JobKind, scope: Scope, payload: P, opts: { total?: number; message?: string } = {}): Promise<JobRow> {
    if (!this.handlers.has(kind)) throw new Error(`No handler registered for ${kind}`);
    const now = this.deps.clock.now();
    const row: JobRow = {
      id: newId(), kind, status: 'queued', progress: 0, total: opts.total ?? 0, message: opts.message ?? '排队中', payload: JSON.stringify(payload),
      result: null, error: null, actor: JSON.stringify(scope.actor), owner_id: scope.actor.userId, owner_node: scope.node, file_path: null, file_name: null,
      created_at: now, updated_at: now, started_at: null, finished_at: null, runner: null, heartbeat_at: null, attempts: 0,
    };
    await jobsRepository.insert(this.deps.db, row);
    // This runner looks at once; the event wakes the others (and this one again, harmlessly).
    this.fill();
    await this.deps.bus?.publish({ type: 'job.queued', node: null, ownerId: null, data: { jobId: row.id, kind } });
    return row;
  }

  async start(log?: JobLog): Promise<void> {
    if (this.started) return;
    this.log = log;
    this.abort = new AbortController();
    await this.failAbandoned();
    this.started = true;
    this.unsubscribe = this.deps.bus?.subscribe((e) => e.type === 'job.queued' && this.fill()) ?? null;
    const { pollMs, heartbeatMs, staleAfterMs } = this.opts;
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch((err: unknown) => this.log?.error({ err }, 'job runner housekeeping failed')), ms);
      t.unref();
      this.timers.push(t);
    };
    every(pollMs, async () => this.fill());
    every(heartbeatMs, () => jobsRepository.heartbeat(this.deps.db, this.runnerId, Date.now()));
    if (staleAfterMs > 0) every(Math.max(heartbeatMs, staleAfterMs / 2), () => this.failAbandoned());
    this.fill();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.unsubscribe?.();
    for (const t of this.timers.splice(0)) clearInterval(t);
    this.abort.abort();
    await Promise.allSettled([...this.running.values()]);
    for (const w of this.idleWaiters.splice(0)) w();
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Jobs whose runner is gone end failed: every running one when this is the only runner, else the stale ones. */
  private async failAbandoned(): Promise<void> {
    const { staleAfterMs } = this.opts;
    const now = this.deps.clock.now();
    const n = await jobsRepository.failAbandoned(this.deps.db, JOB_INTERRUPTED, now, staleAfterMs > 0 ? Date.now() - staleAfterMs : null);
    if (n) this.log?.error({ jobs: n }, 'jobs abandoned by a stopped runner were marked failed');
  }

  /** Nothing running, and not looking for more. */
  private isIdle(): boolean {
    return !this.running.size && !this.filling;
  }

  /** Claims queued jobs up to the concurrency limit; a call while one is under way makes it look once more. */
  private fill(): void {
    if (!this.started) return;
    if (this.filling) {
      this.refill = true;
      return;
    }
    this.filling = true;
    void this.claimLoop()
      .catch((err: unknown) => this.log?.error({ err }, 'claiming jobs failed'))
      .finally(() => {
        this.filling = false;
        if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
      });
  }

  private async claimLoop(): Promise<void> {
    const { db, clock } = this.deps;
    const kinds = [...this.handlers.keys()];
    do {
      this.refill = false;
      while (this.started && this.running.size < this.opts.concurrency && kinds.length) {
        const candidates = await jobsRepository.queued(db, kinds, this.opts.concurrency + 4);
        let claimed: string | null = null;
        for (const c of candidates) {
          if (await jobsRepository.claim(db, c.id, this.runnerId, clock.now(), Date.now())) {
            claimed = c.id;
            break;
          }
        }
        if (!claimed) break;
        const id = claimed;
        const run = this.run(id)
          .catch((err: unknown) => this.log?.error({ err, jobId: id }, 'job bookkeeping failed'))
          .finally(() => {
            this.running.delete(id);
            this.fill();
            if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
          });
        this.running.set(id, run);
      }
    } while (this.refill && this.started);
  }

  /** Tells the job's owner (on whichever instance they are connected) how it stands. */
  private notify(row: Pick<JobRow, 'id' | 'owner_id' | 'kind'>, state: { status: string; progress: number; total: number }): void {
    if (!row.owner_id) return;
    void this.deps.bus
      ?.publish({ type: 'job.updated', node: null, ownerId: row.owner_id, data: { jobId: row.id, kind: row.kind, ...state } })
      .catch((err: unknown) => this.log?.error({ err }, 'job event not published'));
  }

  private async run(id: string): Promise<void> {
    const { db, clock } = this.deps;
    const row = await jobsRepository.byId(db, id);
    const handler = row && this.handlers.get(row.kind);
    if (!row || !handler) return;
    this.notify(row, { status: 'running', progress: 0, total: row.total });
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
        this.notify(row, { status: 'running', progress: state.progress, total: state.total });
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
      this.notify(row, { status: 'succeeded', progress: Math.max(state.progress, state.total), total: state.total });
    } catch (err) {
      const now = clock.now();
      await jobsRepository.update(db, id, { ...state, status: 'failed', message: '失败', error: this.describe(err, id), updated_at: now, finished_at: now });
      this.notify(row, { status: 'failed', progress: state.progress, total: state.total });
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
