/**
 * Merging duplicate residents carries every module's records to the kept resident: health reports (a report
 * on a day both reported is dropped, the kept one stands), follow-up tasks, scans; the merge's audit entry
 * counts them.
 */
import { buildResidentId } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../src/security/scope.js';
import { createTestApp, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('merging duplicates keeps their records', () => {
  it('moves health reports and tasks to the kept resident and drops only same-day reports', async () => {
    const worker = await t.ctx.services.auth.authenticate((await t.login(t.world.usernames.community_worker)).split('=')[1]!, null);
    const scope = worker.scope;
    const { residents, health, duplicates } = t.ctx.services;
    const make = (n: number) =>
      residents.create(Scope.system('test'), {
        householdId: t.world.householdA2, name: '郑重', docType: 'resident_id', docNumber: buildResidentId('110105', '1960-03-03', 500 + n), phone: '13911112222',
        relationToHead: 'child', residenceStatus: 'registered',
      });
    const kept = await make(1);
    const dup = await make(2);
    // Day 1: both report (the duplicate with a fever, which opens a follow-up task); day 2: only the duplicate.
    await health.report(scope, { residentId: kept.id, temperatureC: 36.6, symptoms: [] });
    await health.report(scope, { residentId: dup.id, temperatureC: 38.2, symptoms: [] });
    t.clock.advance(86_400_000);
    await health.report(scope, { residentId: dup.id, temperatureC: 36.8, symptoms: [] });
    const dupTasks = await t.ctx.db.selectFrom('tasks').select('id').where('resident_id', '=', dup.id).execute();
    expect(dupTasks.length).toBeGreaterThan(0);

    // A scan of the duplicate at a place (tracing reads these by person).
    await t.ctx.db.insertInto('scans').values({ at: t.clock.now(), place_id: 'p-test', region_code: dup.regionCode, person_kind: 'resident', person_id: dup.id, source: 'self', temperature_tenths: null, fever: 0, device_id: null }).execute();

    await duplicates.merge(scope, kept.id, { duplicateId: dup.id, reason: '同一人重复登记' });

    const reports = await t.ctx.db.selectFrom('health_reports').select(['resident_id', 'temperature_tenths']).where('resident_id', 'in', [kept.id, dup.id]).orderBy('day_start').execute();
    expect(reports.map((r) => [r.resident_id, Number(r.temperature_tenths)])).toEqual([[kept.id, 366], [kept.id, 368]]);
    const tasks = await t.ctx.db.selectFrom('tasks').select('resident_id').where('id', 'in', dupTasks.map((x) => x.id)).execute();
    expect(tasks.every((x) => x.resident_id === kept.id)).toBe(true);
    const scans = await t.ctx.db.selectFrom('scans').select('person_id').where('place_id', '=', 'p-test').execute();
    expect(scans.map((x) => x.person_id)).toEqual([kept.id]);
    const event = await t.ctx.db.selectFrom('audit_events').select('diff').where('action', '=', 'resident.merge').where('entity_id', '=', kept.id).executeTakeFirstOrThrow();
    expect(JSON.parse(event.diff!)).toMatchObject({ relinked: { health_reports: { moved: 1, dropped: 1 }, tasks: { moved: dupTasks.length, dropped: 0 }, scans: { moved: 1, dropped: 0 } } });
  });
});
