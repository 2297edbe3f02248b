import { CODE_LENGTH } from '@gridline/shared';
import { expect } from 'vitest';
import type { Executor } from '../src/db/schema.js';

/** The maintained residents-per-node counts equal a fresh count of the register, at every level. */
export async function expectCountsMatchRegister(db: Executor): Promise<void> {
  const truth = new Map<string, number>();
  for (const r of await db.selectFrom('residents').select('region_code').execute()) {
    for (const depth of new Set(Object.values(CODE_LENGTH))) {
      if (depth <= r.region_code.length) truth.set(r.region_code.slice(0, depth), (truth.get(r.region_code.slice(0, depth)) ?? 0) + 1);
    }
  }
  const kept = new Map((await db.selectFrom('region_resident_counts').select(['code', 'residents']).where('residents', '!=', 0).execute()).map((r) => [r.code, Number(r.residents)]));
  expect(Object.fromEntries([...kept].sort())).toEqual(Object.fromEntries([...truth].sort()));
}
