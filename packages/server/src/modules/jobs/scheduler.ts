import type { Db } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';

export interface ScheduledTask {
  /** Stable name: the slot claims are keyed by it. */
  name: string;
  everyMs: number;
  run(): Promise<void>;
}

export interface SchedulerLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** How often each instance looks whether a task's current slot is still unclaimed. */
const TICK_MS = 30_000;

/**
 * Periodic work that must happen once per period however many instances run: each instance ticks, and the
 * first to insert the (task, slot) row runs the slot — the primary key lets exactly one insert through.
 * Slots are wall-clock periods (slot = floor(now / everyMs)), so a restart in mid-period does not run it twice.
 */
export class Scheduler {
  readonly runnerId = newId();
  private timer: NodeJS.Timeout | null = null;
  private readonly busy = new Set<string>();

  constructor(
    private readonly deps: { db: Db; now?: () => number },
    private readonly tasks: ScheduledTask[],
  ) {}

  start(log?: SchedulerLog): void {
    if (this.timer) return;
    const tick = () => void this.tick(log);
    this.timer = setInterval(tick, TICK_MS);
    this.timer.unref();
    tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Runs every task whose current slot this instance claims; resolves when they have finished. */
  async tick(log?: SchedulerLog): Promise<string[]> {
    const now = (this.deps.now ?? Date.now)();
    const ran: string[] = [];
    await Promise.all(
      this.tasks.map(async (task) => {
        if (this.busy.has(task.name)) return;
        this.busy.add(task.name);
        try {
          if (!(await this.claim(task, Math.floor(now / task.everyMs), now))) return;
          await task.run();
          ran.push(task.name);
        } catch (err) {
          log?.error({ err, task: task.name }, 'scheduled task failed');
        } finally {
          this.busy.delete(task.name);
        }
      }),
    );
    return ran;
  }

  private async claim(task: ScheduledTask, slot: number, now: number): Promise<boolean> {
    const res = await this.deps.db
      .insertInto('schedule_runs')
      .values({ name: task.name, slot, runner: this.runnerId, started_at: now })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
}

/** Slot claims older than this are removed by housekeeping; they only matter for the current period. */
export const SCHEDULE_RUNS_KEEP_MS = 30 * 86_400_000;

export async function pruneScheduleRuns(db: Db, before: number): Promise<void> {
  await db.deleteFrom('schedule_runs').where('started_at', '<', before).execute();
}
