import { buildResidentId, type ImportAnalysis, type ImportResult, type Job } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { householdsRepository } from '../src/modules/residents/households.repository.js';
import { sealDocument, sealPhone } from '../src/modules/residents/personal-fields.js';
import { residentsRepository } from '../src/modules/residents/residents.repository.js';
import { newId } from '../src/lib/ids.js';
import { download, finished, readXlsx, upload } from './files.js';
import { CODES, createTestApp, type TestApp } from './harness.js';

interface ErrorBody {
  error: { code: string; details?: { permission?: string } };
}

describe('resident export', () => {
  let t: TestApp;
  let worker: string;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await t.login(t.world.usernames.community_worker);
  });
  afterAll(() => t.close());

  const exportJob = async (body: Record<string, unknown>, cookie = worker) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/exports/residents', headers: { cookie }, payload: body });
    expect(res.statusCode, res.body).toBe(202);
    const job = await finished(t, cookie, res.json<Job>().id);
    expect(job.status, job.error ?? '').toBe('succeeded');
    return job;
  };
  const fetchFile = async (job: Job, cookie = worker) => {
    const res = await download(t, cookie, job.id);
    expect(res.statusCode).toBe(200);
    return { res, book: await readXlsx(res.rawPayload) };
  };

  it('exports the register masked by default, with the exporting user and time, and audits it', async () => {
    const job = await exportJob({ filters: {} });
    expect(job).toMatchObject({ kind: 'resident_export', progress: 3, total: 3, downloadable: true, result: { rows: 3, masked: true } });
    const { res, book } = await fetchFile(job);
    const name = decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1]!);
    expect(name).toBe('居民名单_社区A_20261129-0900.xlsx');
    expect(book.rows[0]![0]).toBe('居民名单 · 社区A · 导出人：测试community_worker（u_community_worker） · 导出时间：2026-11-29 09:00（北京时间） · 证件号码和手机号已脱敏');
    expect(book.creator).toBe('测试community_worker（u_community_worker）');
    expect(book.created?.getTime()).toBe(t.clock.now());
    expect(book.rows[1]).toEqual(['社区', '网格', '楼栋', '单元', '门牌号', '姓名', '性别', '出生日期', '证件类型', '证件号码', '手机号码', '与户主关系', '人员类别', '标签', '备注']);
    const zhang = book.rows.find((r) => r[5] === '张伟')!;
    const seeded = t.world.residentsA[0]!;
    expect(zhang).toEqual(['社区A', '网格A', '1栋', '1单元', '0101', '张伟', '男', seeded.resident.birthDate, '居民身份证', seeded.resident.docNumberMasked, seeded.resident.phoneMasked, '户主', '户籍', '慢性病']);
    expect(book.rows.slice(2).map((r) => r[5]).sort()).toEqual(['张伟', '李娜', '王芳'].sort());
    expect(res.rawPayload.toString('latin1')).not.toContain(seeded.docNumber);
    const event = await t.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'resident.export').where('entity_id', '=', job.id).executeTakeFirstOrThrow();
    expect(event.purpose).toBeNull();
    expect(JSON.parse(event.diff!)).toMatchObject({ rows: 3, masked: true });
  });

  it('exports full documents and phones only with a purpose, audited with it', async () => {
    const blank = await t.app.inject({ method: 'POST', url: '/api/exports/residents', headers: { cookie: worker }, payload: { filters: {}, purpose: '   ' } });
    expect(blank.statusCode).toBe(400);
    expect(blank.json<ErrorBody>().error.code).toBe('GRIDLINE_PURPOSE_REQUIRED');
    const job = await exportJob({ filters: { tags: ['elderly_alone'] }, purpose: '上门核查独居老人' });
    expect(job.result).toEqual({ rows: 1, masked: false });
    const { book } = await fetchFile(job);
    const wang = t.world.residentsA[2]!;
    expect(book.rows[0]![0]).toMatch(/含完整证件号码和手机号（用途：上门核查独居老人）$/);
    expect(book.rows.slice(2)).toHaveLength(1);
    expect(book.rows[2]!.slice(5, 11)).toEqual(['王芳', wang.resident.sex === 'male' ? '男' : '女', wang.resident.birthDate, '居民身份证', wang.docNumber, wang.phone]);
    const event = await t.ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'resident.export').where('entity_id', '=', job.id).executeTakeFirstOrThrow();
    expect(event.purpose).toBe('上门核查独居老人');
    expect(JSON.parse(event.diff!)).toMatchObject({ rows: 1, masked: false, filters: { tags: ['elderly_alone'] } });
    // Downloading the file is audited as well.
    expect(await t.ctx.db.selectFrom('audit_events').select('seq').where('action', '=', 'job.download').where('entity_id', '=', job.id).execute()).toHaveLength(1);
  });

  it('keeps to permissions and jurisdiction', async () => {
    const volunteer = await t.login(t.world.usernames.volunteer);
    const refused = await t.app.inject({ method: 'POST', url: '/api/exports/residents', headers: { cookie: volunteer }, payload: { filters: {} } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<ErrorBody>().error.details?.permission).toBe('resident.read');
    const sideB = await t.app.inject({ method: 'POST', url: '/api/exports/residents', headers: { cookie: worker }, payload: { filters: { node: CODES.communityB } } });
    expect(sideB.statusCode).toBe(403);
    expect(sideB.json<ErrorBody>().error.code).toBe('GRIDLINE_OUT_OF_SCOPE');
    const grid = await t.login(t.world.usernames.grid_worker);
    const other = await exportJob({ filters: {} });
    expect((await download(t, grid, other.id)).statusCode).toBe(404);
  });

  it('walks a large register in batches, in the requested order, and the unmasked file re-imports as unchanged', async () => {
    const unit = `${CODES.gridA}00201`;
    const sys = (await import('../src/security/scope.js')).Scope.system('test');
    await t.ctx.services.regions.create(sys, { code: `${CODES.gridA}002`, name: '2栋' });
    await t.ctx.services.regions.create(sys, { code: unit, name: '1单元' });
    const now = t.clock.now();
    const households = Array.from({ length: 50 }, (_, h) => ({ id: newId(), code: `${unit}${String(h + 101).padStart(4, '0')}`, unit_code: unit, room: String(h + 101).padStart(4, '0'), address: `社区A 2栋 1单元 ${String(h + 101).padStart(4, '0')}室`, created_at: now, updated_at: now }));
    await householdsRepository.insertMany(t.ctx.db, households);
    const rows = Array.from({ length: 2500 }, (_, i) => {
      const h = households[i % 50]!;
      const doc = buildResidentId('320102', new Date(Date.UTC(1950, 0, 1) + i * 86_400_000).toISOString().slice(0, 10), 111);
      return {
        id: newId(), household_id: h.id, region_code: h.code, name: `批量${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉戌亥'[i % 12]}`, sex: 'male', birth_date: doc.slice(6, 10) + '-' + doc.slice(10, 12) + '-' + doc.slice(12, 14),
        doc_type: 'resident_id', ...sealDocument(t.ctx.cipher, 'resident_id', doc), ...sealPhone(t.ctx.cipher, `137${String(i).padStart(8, '0')}`),
        relation_to_head: 'other_relative', residence_status: 'tenant', tags: '[]', notes: '', version: 1, created_at: now, updated_at: now,
      };
    });
    await residentsRepository.insertMany(t.ctx.db, rows);

    const job = await exportJob({ filters: { node: unit, sort: 'name', order: 'desc' }, purpose: '核对批量数据' });
    expect(job.result).toEqual({ rows: 2500, masked: false });
    const { res, book } = await fetchFile(job);
    const names = book.rows.slice(2).map((r) => r[5]!);
    expect(names).toHaveLength(2500);
    // The database's own order (its collation decides where Chinese names fall).
    const listed = await t.ctx.services.residents.list(sys, { node: unit, sort: 'name', order: 'desc', pageSize: 3000 });
    expect(names).toEqual(listed.items.map((r) => r.name));
    expect(new Set(book.rows.slice(2).map((r) => r[9])).size).toBe(2500);

    // The export's headers are import headers (its title row is skipped): re-importing changes nothing.
    const a = (await upload(t, worker, '居民名单.xlsx', res.rawPayload)).json<ImportAnalysis>();
    expect(a.missingFields).toEqual([]);
    const run = await t.app.inject({ method: 'POST', url: `/api/imports/${a.id}/run`, headers: { cookie: worker }, payload: { mapping: a.mapping, dryRun: true, onExisting: 'update', node: CODES.gridA } });
    const result = (await finished(t, worker, run.json<Job>().id)).result as unknown as ImportResult;
    expect(result).toMatchObject({ total: 2500, unchanged: 2500, created: 0, updated: 0, rejected: 0 });
  });

  it('deletes export files after the retention period and stops offering the download', async () => {
    const job = await exportJob({ filters: {} });
    const jobs = t.ctx.services.jobs;
    const week = 7 * 86_400_000;
    expect(await jobs.sweepExpiredFiles(t.clock.now(), week)).toBe(0);
    expect(await jobs.sweepExpiredFiles(t.clock.now() + week + 1, week)).toBeGreaterThan(0);
    const after = await t.app.inject({ url: `/api/jobs/${job.id}`, headers: { cookie: worker } });
    expect(after.json<Job>().downloadable).toBe(false);
    expect((await download(t, worker, job.id)).statusCode).toBe(404);
  });
});
