import type { Job } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../src/lib/errors.js';
import { newId } from '../src/lib/ids.js';
import { contentDisposition } from '../src/modules/jobs/job-files.js';
import { DatabaseJobQueue, JOB_INTERRUPTED, type JobContext, type RunnerOptions } from '../src/modules/jobs/job-queue.js';
import { jobsRepository } from '../src/modules/jobs/jobs.repository.js';
import { Scheduler } from '../src/modules/jobs/scheduler.js';
import { InProcessEventBus } from '../src/modules/events/event-bus.js';
import type { Scope } from '../src/security/scope.js';
import { download, finished } from './files.js';
import { createTestApp, type TestApp } from './harness.js';

describe('background jobs', () => {
  let t: TestApp;
  let worker: string;
  let grid: string;
  let workerScope: Scope;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await t.login(t.world.usernames.community_worker);
    grid = await t.login(t.world.usernames.grid_worker);
    workerScope = (await t.ctx.services.auth.authenticate(worker.split('=')[1]!, null)).scope;
  });
  afterAll(() => t.close());

  const get = (url: string, cookie: string) => t.app.inject({ url, headers: { cookie } });
  /**
   * A queue of our own on the app's database, with a handler the test controls. The app's own runner is
   * stopped first: runners share the jobs table, and it would take these jobs too.
   */
  const ownQueue = async (handler: (job: JobContext) => Promise<object | void>, options?: RunnerOptions) => {
    await t.ctx.services.queue.stop();
    const queue = new DatabaseJobQueue({ db: t.ctx.db, clock: t.clock, ...(options ? { options } : {}) });
    queue.register('resident_export', async (job) => ({ result: ((await handler(job)) ?? null) as Record<string, unknown> | null }));
    return queue;
  };

  it('belong to their owner: others read them as nonexistent', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/exports/residents', headers: { cookie: worker }, payload: { filters: {} } });
    const id = res.json<Job>().id;
    await finished(t, worker, id);
    expect((await get('/api/jobs', worker)).json<{ items: Job[] }>().items.map((j) => j.id)).toContain(id);
    expect((await get('/api/jobs', grid)).json<{ items: Job[] }>().items.map((j) => j.id)).not.toContain(id);
    for (const url of [`/api/jobs/${id}`, `/api/jobs/${id}/download`]) {
      const theirs = await get(url, grid);
      const none = await get(url.replace(id, newId()), grid);
      expect(theirs.statusCode).toBe(404);
      expect(theirs.json<unknown>()).toEqual(none.json<unknown>());
      expect((await t.app.inject({ url })).statusCode).toBe(401);
    }
    expect((await download(t, worker, id)).statusCode).toBe(200);
  });

  it('lists the owner’s 20 most recent, newest first', async () => {
    const queue = await ownQueue(async () => ({}));
    await queue.start();
    for (let i = 0; i < 22; i++) {
      t.clock.advance(1000);
      await queue.enqueue('resident_export', workerScope, { n: i });
    }
    const items = (await get('/api/jobs', worker)).json<{ items: Job[] }>().items;
    expect(items).toHaveLength(20);
    expect(items.map((j) => j.createdAt)).toEqual([...items.map((j) => j.createdAt)].sort((a, b) => b - a));
    expect(items[0]!.createdAt).toBe(t.clock.now());
    await queue.idle();
    await queue.stop();
  });

  it('shows progress while running, writing it at most every 250 ms', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reported!: () => void;
    const midway = new Promise<void>((r) => (reported = r));
    const queue = await ownQueue(async (job) => {
      const spy = vi.spyOn(jobsRepository, 'update');
      const started = performance.now();
      for (let i = 1; i <= 5000; i++) await job.progress(i, 10_000);
      const elapsed = performance.now() - started;
      const writes = spy.mock.calls.length;
      spy.mockRestore();
      // No more writes than 250 ms periods passed.
      expect(writes).toBeLessThanOrEqual(Math.floor(elapsed / 250) + 1);
      await new Promise((r) => setTimeout(r, 260));
      await job.progress(5000, 10_000, '处理到一半');
      reported();
      await gate;
      return { done: true };
    });
    await queue.start();
    const job = await queue.enqueue('resident_export', workerScope, {}, { total: 10_000 });
    await midway;
    const seen = (await get(`/api/jobs/${job.id}`, worker)).json<Job>();
    expect(seen).toMatchObject({ status: 'running', progress: 5000, total: 10_000, message: '处理到一半', finishedAt: null });
    release();
    await queue.idle();
    expect((await get(`/api/jobs/${job.id}`, worker)).json<Job>()).toMatchObject({ status: 'succeeded', result: { done: true }, progress: 10_000 });
    await queue.stop();
  });

  it('report failures in Chinese, never a stack trace', async () => {
    const queue = await ownQueue(async (job) => {
      if ((await jobsRepository.byId(t.ctx.db, job.jobId))!.payload.includes('domain')) {
        throw new AppError('GRIDLINE_IMPORT_INVALID', { fields: [{ path: '/body/file', code: 'format', message: '文件中没有任何内容' }] });
      }
      throw new TypeError('Cannot read properties of undefined');
    });
    await queue.start();
    const domain = await queue.enqueue('resident_export', workerScope, { domain: true });
    const crash = await queue.enqueue('resident_export', workerScope, { crash: true });
    await queue.idle();
    expect((await get(`/api/jobs/${domain.id}`, worker)).json<Job>()).toMatchObject({ status: 'failed', error: '导入文件格式不正确：文件中没有任何内容' });
    const failed = (await get(`/api/jobs/${crash.id}`, worker)).json<Job>();
    expect(failed.error).toBe('任务执行失败（系统内部错误），请稍后重试或联系管理员');
    expect(failed.downloadable).toBe(false);
    await queue.stop();
  });

  it('on start, fails what a crashed process left running and resumes what it left queued', async () => {
    const now = t.clock.now();
    const row = (status: string) => ({
      id: newId(), kind: 'resident_export', status, progress: 0, total: 0, message: null, payload: '{}', result: null, error: null, actor: JSON.stringify(workerScope.actor),
      owner_id: workerScope.actor.userId, owner_node: workerScope.node, file_path: null, file_name: null, created_at: now, updated_at: now, started_at: null, finished_at: null,
    });
    const running = row('running');
    const queued = row('queued');
    await jobsRepository.insert(t.ctx.db, running);
    await jobsRepository.insert(t.ctx.db, queued);
    const queue = await ownQueue(async (job) => ({ ranAs: job.scope.actor.username }));
    await queue.start();
    await queue.idle();
    expect((await get(`/api/jobs/${running.id}`, worker)).json<Job>()).toMatchObject({ status: 'failed', error: '服务重启，任务中断，请重新提交' });
    expect((await get(`/api/jobs/${queued.id}`, worker)).json<Job>()).toMatchObject({ status: 'succeeded', result: { ranAs: 'u_community_worker' } });
    await queue.stop();
  });

  it('stopping interrupts a running job between batches', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const queue = await ownQueue(async (job) => {
      started();
      for (;;) await job.checkpoint();
    });
    await queue.start();
    const job = await queue.enqueue('resident_export', workerScope, {});
    await running;
    await queue.stop();
    expect((await get(`/api/jobs/${job.id}`, worker)).json<Job>()).toMatchObject({ status: 'failed', error: JOB_INTERRUPTED });
  });

  it('several runners on one table (one per instance) run every job exactly once', async () => {
    await t.ctx.services.queue.stop();
    const bus = new InProcessEventBus();
    const runs = new Map<string, number>();
    const runners = [0, 1, 2].map(() => new DatabaseJobQueue({ db: t.ctx.db, clock: t.clock, bus, options: { concurrency: 2, pollMs: 50 } }));
    for (const q of runners) {
      q.register('resident_export', async (job) => {
        runs.set(job.jobId, (runs.get(job.jobId) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        return {};
      });
      await q.start();
    }
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await runners[i % 3]!.enqueue('resident_export', workerScope, { i })).id);
    await vi.waitFor(async () => {
      const left = await t.ctx.db.selectFrom('jobs').select('id').where('id', 'in', ids).where('status', 'in', ['queued', 'running']).execute();
      expect(left).toHaveLength(0);
    }, { timeout: 10_000, interval: 50 });
    await Promise.all(runners.map((q) => q.stop()));
    expect(ids.every((id) => runs.get(id) === 1)).toBe(true);
    const rows = await t.ctx.db.selectFrom('jobs').select(['status', 'attempts', 'runner']).where('id', 'in', ids).execute();
    expect(rows.every((r) => r.status === 'succeeded' && r.attempts === 1)).toBe(true);
    // The work was shared, not done by whichever runner was asked.
    expect(new Set(rows.map((r) => r.runner)).size).toBeGreaterThan(1);
  });

  it('with several instances, a starting runner fails only jobs whose runner stopped beating', async () => {
    const now = t.clock.now();
    const row = (heartbeat: number | null) => ({
      id: newId(), kind: 'resident_export', status: 'running', progress: 0, total: 0, message: null, payload: '{}', result: null, error: null, actor: JSON.stringify(workerScope.actor),
      owner_id: workerScope.actor.userId, owner_node: workerScope.node, file_path: null, file_name: null, created_at: now, updated_at: now, started_at: now, finished_at: null,
      runner: 'another-instance', heartbeat_at: heartbeat, attempts: 1,
    });
    const alive = row(Date.now());
    const dead = row(Date.now() - 120_000);
    await jobsRepository.insert(t.ctx.db, alive);
    await jobsRepository.insert(t.ctx.db, dead);
    const queue = await ownQueue(async () => ({}), { staleAfterMs: 60_000 });
    await queue.start();
    await queue.idle();
    expect((await get(`/api/jobs/${alive.id}`, worker)).json<Job>().status).toBe('running');
    expect((await get(`/api/jobs/${dead.id}`, worker)).json<Job>()).toMatchObject({ status: 'failed', error: JOB_INTERRUPTED });
    await queue.stop();
    await jobsRepository.update(t.ctx.db, alive.id, { status: 'failed', finished_at: now });
  });

  it('a scheduled task runs once per period however many instances tick it', async () => {
    let ran = 0;
    const task = { name: `test-${newId()}`, everyMs: 3600_000, run: async () => void ran++ };
    let now = Date.UTC(2026, 10, 29, 9, 0, 0);
    const instances = [0, 1, 2].map(() => new Scheduler({ db: t.ctx.db, now: () => now }, [task]));
    const tickAll = async () => (await Promise.all(instances.map((s) => s.tick()))).flat();
    expect(await tickAll()).toEqual([task.name]);
    now += 30 * 60_000; // same hour: nobody runs it again
    expect(await tickAll()).toEqual([]);
    now += 30 * 60_000; // next hour: exactly one instance runs it
    expect(await tickAll()).toEqual([task.name]);
    expect(ran).toBe(2);
  });

  it('names downloads in Chinese (RFC 5987) with an ASCII fallback', () => {
    expect(contentDisposition('居民名单_社区A_20261129-0900.xlsx')).toBe(
      `attachment; filename="___A_20261129-0900.xlsx"; filename*=UTF-8''${encodeURIComponent('居民名单_社区A_20261129-0900.xlsx')}`,
    );
    expect(contentDisposition("a'b (1).xlsx")).toBe(`attachment; filename="a'b (1).xlsx"; filename*=UTF-8''a%27b%20%281%29.xlsx`);
  });
});
