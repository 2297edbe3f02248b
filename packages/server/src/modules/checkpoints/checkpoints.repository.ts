import type { CheckpointResult, DecisionListQuery } from '@gridline/shared';
import type { Selectable } from 'kysely';
import type { CheckpointDecisionsTable, Executor } from '../../db/schema.js';

export type DecisionRow = Selectable<CheckpointDecisionsTable>;
export type NewDecision = Omit<DecisionRow, 'id'>;

export const checkpointsRepository = {
  async insert(db: Executor, row: NewDecision): Promise<number> {
    const out = await db.insertInto('checkpoint_decisions').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(out.id);
  },

  async byPlace(db: Executor, placeId: string, q: DecisionListQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    let base = db.selectFrom('checkpoint_decisions').where('place_id', '=', placeId);
    if (q.result) base = base.where('result', '=', q.result satisfies CheckpointResult);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n), page, pageSize };
  },
};
