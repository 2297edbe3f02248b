/**
 * The protocol as versioned data: the migration holds the built-in versions; editing makes a new version from a
 * base and never alters the old; the version in force switches exactly at Asia/Shanghai midnight of its
 * effective date, and decisions record it; the diff lists exactly the changed fields; invalid values are refused
 * field by field; other instances drop their cache when they hear `protocol.changed`.
 */
import { BUILT_IN_PROTOCOLS, type ProtocolValues, type ProtocolVersionDetail, type ProtocolVersionList } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseProtocols } from '../src/modules/protocol/protocol.provider.js';
import { Scope } from '../src/security/scope.js';
import { createTestApp, type TestApp } from './harness.js';

interface ErrorBody {
  error: { code: string; fields?: { path: string; code: string; message: string }[] };
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
});
afterAll(() => t.close());

const req = <T>(username: string, method: 'GET' | 'POST', url: string, payload?: object) => t.as<T>(username, method, url, payload);
const command = () => t.world.usernames.command;
const newTen = BUILT_IN_PROTOCOLS.find((v) => v.id === 'new-ten-2022-12')!;
function valuesOf(v: ProtocolValues) {
  const { id: _i, name: _n, document: _d, effectiveFrom: _e, sources: _s, ...values } = v;
  return structuredClone(values);
}
const body = (patch: (v: ReturnType<typeof valuesOf>) => void, extra: Record<string, unknown> = {}) => {
  const values = valuesOf(newTen);
  patch(values);
  return { basedOn: 'new-ten-2022-12', name: '某市优化调整版', document: '某防指发〔2026〕7号', effectiveFrom: '2026-12-01', values, ...extra };
};
const SH = (iso: string) => Date.parse(`${iso}+08:00`);

describe('built-in versions', () => {
  it('are in the table exactly as the shared values, with the ninth edition, the twenty and the new ten measures', async () => {
    const rows = await t.ctx.db.selectFrom('protocol_versions').selectAll().orderBy('effective_from').execute();
    expect(rows.map((r) => [r.id, r.effective_from])).toEqual([
      ['eighth-2021-05', '2021-05-11'], ['ninth-2022-06', '2022-06-28'], ['twenty-2022-11', '2022-11-11'], ['new-ten-2022-12', '2022-12-07'],
    ]);
    for (const r of rows) expect(JSON.parse(r.values)).toEqual(BUILT_IN_PROTOCOLS.find((v) => v.id === r.id));
    // Every value of every version is sourced, and what could not be checked says so.
    for (const v of BUILT_IN_PROTOCOLS) for (const k of ['tracing', 'contactManagement', 'riskAreas', 'isolation', 'feverThresholdC', 'arrivalRules']) expect(v.sources[k], `${v.id}.${k}`).toBeTruthy();
    expect(newTen.riskAreas.levels).toEqual([expect.objectContaining({ level: 'high', unit: 'building_unit_floor_household', liftAfterDays: 5 })]);
    expect(BUILT_IN_PROTOCOLS.find((v) => v.id === 'twenty-2022-11')!.riskAreas.levels.map((l) => l.level)).toEqual(['high', 'low']);
    expect(BUILT_IN_PROTOCOLS.find((v) => v.id === 'ninth-2022-06')!.riskAreas.levels.map((l) => l.level)).toEqual(['high', 'medium', 'low']);
  });

  it('lists every version with the one in force today marked, and shows each value with its group and source', async () => {
    const list = (await req<ProtocolVersionList>(t.world.usernames.auditor, 'GET', '/api/protocol/versions')).body;
    expect(list.inForceId).toBe('new-ten-2022-12');
    expect(list.items.filter((v) => v.inForce).map((v) => v.id)).toEqual(['new-ten-2022-12']);
    const d = (await req<ProtocolVersionDetail>(t.world.usernames.grid_worker, 'GET', '/api/protocol/versions/new-ten-2022-12')).body;
    expect(d.fields.find((f) => f.path === '/contactManagement/close/homeIsolationDays')).toMatchObject({ group: 'contacts', label: '密接·居家隔离天数', text: '5 天', source: expect.stringContaining('S17') });
    expect(d.diff.from?.id).toBe('twenty-2022-11');
    expect(d.diff.changes.find((c) => c.path === '/codeChecksAt')).toEqual({ path: '/codeChecksAt', group: 'testing', label: '查验健康码/核酸的场所', from: '所有卡口', to: '养老/福利机构、医疗机构、学校/托幼机构' });
  });
});

describe('editing', () => {
  let created: ProtocolVersionDetail;
  let before: string;

  it('makes a new version from a base, with exactly the changed fields in its diff, and never alters the base', async () => {
    before = JSON.stringify(await t.ctx.db.selectFrom('protocol_versions').selectAll().where('id', '=', 'new-ten-2022-12').executeTakeFirstOrThrow());
    const res = await req<ProtocolVersionDetail>(command(), 'POST', '/api/protocol/versions', body((v) => {
      v.feverThresholdC = 37.5;
      v.contactManagement.close.homeIsolationDays = 7;
      v.contactManagement.close.testDays = [5, 7];
    }));
    expect(res.status).toBe(201);
    created = res.body;
    expect(created.version).toMatchObject({ basedOn: 'new-ten-2022-12', effectiveFrom: '2026-12-01', inForce: false, upcoming: true, createdBy: expect.any(String) });
    expect(created.diff.from?.id).toBe('new-ten-2022-12');
    expect(created.diff.changes).toEqual([
      { path: '/feverThresholdC', group: 'testing', label: '发热判定体温', from: '37.3 ℃', to: '37.5 ℃' },
      { path: '/contactManagement/close/homeIsolationDays', group: 'contacts', label: '密接·居家隔离天数', from: '5 天', to: '7 天' },
      { path: '/contactManagement/close/testDays', group: 'contacts', label: '密接·核酸检测日', from: '第5天', to: '第5、7天' },
    ]);
    // Changed values are sourced to the new document; unchanged ones keep the base's sources.
    expect(created.values.sources.contactManagement).toContain('某防指发〔2026〕7号');
    expect(created.values.sources.tracing).toBe(newTen.sources.tracing);
    const after = JSON.stringify(await t.ctx.db.selectFrom('protocol_versions').selectAll().where('id', '=', 'new-ten-2022-12').executeTakeFirstOrThrow());
    expect(after).toBe(before);
    const audit = await t.ctx.db.selectFrom('audit_events').select(['action', 'entity_id']).where('action', '=', 'protocol.create').execute();
    expect(audit).toEqual([{ action: 'protocol.create', entity_id: created.version.id }]);
  });

  it('takes effect exactly at Asia/Shanghai midnight of its date, and decisions record the version they used', async () => {
    expect((await t.ctx.protocol.inForce(SH('2026-11-30T23:59:59.999'))).id).toBe('new-ten-2022-12');
    expect((await t.ctx.protocol.inForce(SH('2026-12-01T00:00:00.000'))).id).toBe(created.version.id);
    // 2026-11-30T16:00Z is Shanghai midnight: a UTC-date reading would still say the 30th.
    expect((await t.ctx.protocol.inForce(Date.UTC(2026, 10, 30, 16, 0, 0))).id).toBe(created.version.id);
    expect((await t.ctx.protocol.inForce(Date.UTC(2026, 10, 30, 15, 59, 59))).id).toBe('new-ten-2022-12');
    const health = t.ctx.services.health;
    const sys = Scope.system('test');
    const resident = t.world.residentsA[2]!.resident.id;
    t.clock.set(SH('2026-11-30T23:00:00'));
    const r1 = await health.report(sys, { residentId: resident, temperatureC: 37.4, symptoms: [] });
    t.clock.set(SH('2026-12-01T00:30:00'));
    const r2 = await health.report(sys, { residentId: resident, temperatureC: 37.4, symptoms: [] });
    t.clock.set(Date.UTC(2026, 10, 29, 1, 0, 0));
    // 37.4 ℃ is a fever under the new ten measures (37.3) and not under the new version (37.5).
    expect([r1.report.protocolId, r1.report.abnormal]).toEqual(['new-ten-2022-12', true]);
    expect([r2.report.protocolId, r2.report.abnormal]).toEqual([created.version.id, false]);
  });

  it('refuses invalid values with a field-specific error, a date in the past, an unchanged copy and other roles', async () => {
    const bad = async (b: object) => {
      const res = await req<ErrorBody>(command(), 'POST', '/api/protocol/versions', b);
      expect(res.status).toBe(400);
      return res.body.error.fields!.map((f) => [f.path, f.code]);
    };
    expect(await bad(body((v) => (v.contactManagement.close.testDays = [1, 6])))).toEqual([['/body/values/contactManagement/close/testDays', 'within']]);
    expect(await bad(body((v) => (v.feverThresholdC = 39)))).toEqual([['/body/values/feverThresholdC', 'range']]);
    expect(await bad(body((v) => (v.tracing.minOverlapMinutes = 45)))).toEqual([['/body/values/tracing/minOverlapMinutes', 'range']]);
    expect(await bad(body((v) => (v.contactManagement.close.centralizedDays = -1)))).toContainEqual(['/body/values/contactManagement/close/centralizedDays', 'range']);
    expect(await bad(body((v) => (v.riskAreas.levels[0]!.stepsDownTo = 'medium')))).toEqual([['/body/values/riskAreas/levels/0/stepsDownTo', 'invalid']]);
    expect(await bad(body((v) => (v.feverThresholdC = 37.5), { effectiveFrom: '2026-11-28' }))).toEqual([['/body/effectiveFrom', 'past']]);
    expect(await bad(body(() => undefined))).toEqual([['/body/values', 'unchanged']]);
    const tracer = await req<ErrorBody>(t.world.usernames.tracer, 'POST', '/api/protocol/versions', body((v) => (v.feverThresholdC = 37.5)));
    expect([tracer.status, tracer.body.error.code]).toEqual([403, 'GRIDLINE_FORBIDDEN']);
    expect(await t.ctx.db.selectFrom('protocol_versions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 5 });
  });

  it('diffs any two versions on request', async () => {
    const d = (await req<{ changes: { path: string; from: string | null; to: string | null }[] }>(command(), 'GET', '/api/protocol/versions/twenty-2022-11/diff?against=ninth-2022-06')).body;
    expect(d.changes.find((c) => c.path === '/tracing/secondaryContacts')).toMatchObject({ from: '是（密接的同住人员）', to: '否' });
    // The medium level exists only in the ninth edition: it is listed as removed.
    expect(d.changes.find((c) => c.path === '/riskAreas/medium/liftAfterDays')).toMatchObject({ from: '7 天', to: null });
    expect(d.changes.find((c) => c.path === '/contactManagement/secondary')).toMatchObject({ from: null, to: '不判定' });
  });
});

describe('several instances', () => {
  it('another instance serves a version created elsewhere once it hears protocol.changed', async () => {
    const other = new DatabaseProtocols({ db: t.ctx.db, clock: t.clock, bus: t.ctx.bus });
    expect((await other.list()).length).toBe(5);
    // A version written by "another instance" straight into the table: not seen until the event arrives.
    const v: ProtocolValues = { ...newTen, id: 'elsewhere-2026', name: '别处新建', effectiveFrom: '2027-01-01', feverThresholdC: 37.6 };
    await t.ctx.db.insertInto('protocol_versions').values({ id: v.id, name: v.name, document: 'x', effective_from: v.effectiveFrom, values: JSON.stringify(v), based_on: 'new-ten-2022-12', note: '', created_by: 'x', created_at: t.clock.now() }).execute();
    expect(await other.byId('elsewhere-2026')).toBeUndefined();
    await t.ctx.bus.publish({ type: 'protocol.changed', node: '', ownerId: null, data: { id: v.id } });
    await expect.poll(async () => (await other.byId('elsewhere-2026'))?.feverThresholdC, { timeout: 2000 }).toBe(37.6);
    expect((await other.inForce(SH('2027-01-01T00:00:00'))).id).toBe('elsewhere-2026');
  });
});
