import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildResidentId, type ImportAnalysis, type ImportResult, type Job } from '@gridline/shared';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTable } from '../src/modules/imports/sheet-reader.js';
import { Scope } from '../src/security/scope.js';
import { csv, download, finished, readXlsx, upload, xlsx } from './files.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';
import { expectCountsMatchRegister } from './counts.js';

const sys = Scope.system('test');

async function tempFile(content: Buffer): Promise<string> {
  const file = path.join(await fs.promises.mkdtemp(path.join(os.tmpdir(), 'gridline-import-')), 'file.xlsx');
  await fs.promises.writeFile(file, content);
  return file;
}
const HEADERS = ['姓名', '性别', '证件类型', '身份证号', '出生日期', '手机号', '楼栋', '单元', '门牌号', '与户主关系', '人员类别', '标签', '备注'];
const B2 = `${CODES.gridA}002`;
const B3 = `${CODES.gridA}003`;

/** A valid resident ID per n (distinct birth dates), born in the 1980s. */
const id = (n: number) => buildResidentId('110105', new Date(Date.UTC(1980, 0, 1) + n * 86_400_000).toISOString().slice(0, 10), 200 + (n % 500));
/** One register row in HEADERS order. */
const person = (n: number, over: Partial<Record<(typeof HEADERS)[number], string>> = {}): string[] => {
  const base: Record<string, string> = {
    姓名: `居民${[...String(n)].map((d) => '零一二三四五六七八九'[Number(d)]).join('')}`, 性别: '', 证件类型: '身份证', 身份证号: id(n), 出生日期: '', 手机号: `1380000${String(n).padStart(4, '0')}`,
    楼栋: '2栋', 单元: '1单元', 门牌号: `${(n % 9) + 1}0${(n % 4) + 1}`, 与户主关系: n % 3 === 0 ? '户主' : '子女', 人员类别: '户籍', 标签: '', 备注: '',
  };
  return HEADERS.map((h) => over[h] ?? base[h]!);
};

interface ErrorBody {
  error: { code: string; fields?: { path: string; message: string }[] };
}

describe('resident import', () => {
  let t: TestApp;
  let worker: string;
  let grid: string;

  beforeAll(async () => {
    t = await createTestApp();
    const { regions } = t.ctx.services;
    await regions.create(sys, { code: B2, name: '2栋' });
    await regions.create(sys, { code: `${B2}01`, name: '1单元' });
    await regions.create(sys, { code: `${B2}02`, name: '2单元' });
    await regions.create(sys, { code: B3, name: '3号楼' });
    await regions.create(sys, { code: `${B3}01`, name: '一单元' });
    worker = await t.login(t.world.usernames.community_worker);
    grid = await t.login(t.world.usernames.grid_worker);
  });
  afterAll(() => t.close());

  const analyse = async (name: string, content: Buffer, cookie = worker) => {
    const res = await upload(t, cookie, name, content);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ImportAnalysis>();
  };
  const run = async (a: ImportAnalysis, body: Record<string, unknown> = {}, cookie = worker) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/imports/${a.id}/run`, headers: { cookie }, payload: { mapping: a.mapping, dryRun: false, onExisting: 'update', ...body } });
    expect(res.statusCode, res.body).toBe(202);
    const job = await finished(t, cookie, res.json<Job>().id);
    expect(job.status, job.error ?? '').toBe('succeeded');
    return { job, result: job.result as unknown as ImportResult };
  };
  const count = async (table: 'residents' | 'households' | 'audit_events') =>
    Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  describe('reading files and recognizing headers', () => {
    it('reads a GBK CSV with Chinese headers and values intact', async () => {
      const text = csv([HEADERS, person(1, { 姓名: '欧阳娜娜', 标签: '独居老人、慢性病' }), person(2)]);
      const a = await analyse('居民名单.csv', iconv.encode(text, 'gbk'));
      expect(a).toMatchObject({ fileName: '居民名单.csv', format: 'csv', encoding: 'gbk', rowCount: 2, headers: HEADERS, missingFields: [] });
      expect(Object.values(a.mapping)).toEqual(['name', 'sex', 'docType', 'docNumber', 'birthDate', 'phone', 'building', 'unit', 'room', 'relationToHead', 'residenceStatus', 'tags', 'notes']);
      expect(a.sample[0]!.slice(0, 4)).toEqual(['欧阳娜娜', '', '身份证', id(1)]);
      expect(a.sample[0]![11]).toBe('独居老人、慢性病');
    });

    it('reads a UTF-8 CSV with a byte-order mark, and English headers', async () => {
      const text = `\ufeff${csv([['Name', 'Gender', 'ID Number', 'Mobile', 'Building', 'Unit', 'Room', 'Remarks'], ['李雷', '男', id(3), '13800000003', '2', '1', '302', '']])}`;
      const a = await analyse('residents.csv', Buffer.from(text, 'utf8'));
      expect(a.encoding).toBe('utf-8');
      expect(a.headers[0]).toBe('Name');
      expect(a.mapping).toEqual({ Name: 'name', Gender: 'sex', 'ID Number': 'docNumber', Mobile: 'phone', Building: 'building', Unit: 'unit', Room: 'room', Remarks: 'notes' });
      expect(a.sample[0]![0]).toBe('李雷');
    });

    it('reads an .xlsx with a title row and the other usual header names', async () => {
      const headers = ['序号', '姓名', '公民身份号码', '联系电话', '楼号', '单元号', '房号', '关系', '人口类型', '重点人群', '说明'];
      const file = await xlsx([['梅园社区居民信息登记表'], headers, [1, '韩梅梅', id(4), 13800000004, '3号楼', '1', '0101', '户主', '常住', '残疾人', '']]);
      const a = await analyse('登记表.xlsx', file);
      expect(a).toMatchObject({ format: 'xlsx', encoding: 'xlsx', rowCount: 1, headers, missingFields: [] });
      expect(a.mapping).toMatchObject({ 序号: null, 姓名: 'name', 公民身份号码: 'docNumber', 联系电话: 'phone', 楼号: 'building', 单元号: 'unit', 房号: 'room', 关系: 'relationToHead', 人口类型: 'residenceStatus', 重点人群: 'tags', 说明: 'notes' });
      expect(a.sample[0]!.slice(0, 4)).toEqual(['1', '韩梅梅', id(4), '13800000004']);
    });

    it('reads long Chinese text in .xlsx intact (no character split between decompressed chunks)', async () => {
      const names = Array.from({ length: 3000 }, (_, i) => `${'欧阳司马诸葛上官东方'.slice((i % 5) * 2, (i % 5) * 2 + 2)}${'甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥'.repeat(2).slice(i % 24, (i % 24) + 2)}`);
      const file = await xlsx([['姓名', '备注'], ...names.map((n, i) => [n, `第${i}行：居住在梅园社区三号楼二单元的独居老人，需要每日上门探访`])]);
      const at = await tempFile(file);
      const table = await openTable(at, 'xlsx', 'xlsx');
      const read: string[][] = [];
      for await (const r of table.rows) read.push(r.cells);
      await fs.promises.rm(path.dirname(at), { recursive: true });
      expect(read).toHaveLength(3000);
      expect(read.map((r) => r[0])).toEqual(names);
      expect(read.filter((r) => /\uFFFD/.test(r.join('')))).toEqual([]);
    });

    it('refuses what it cannot read, in Chinese', async () => {
      const xls = await upload(t, worker, '旧表.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
      expect(xls.statusCode).toBe(400);
      expect(xls.json<ErrorBody>().error.fields?.[0]?.message).toMatch(/\.xls/);
      const empty = await upload(t, worker, '空.csv', Buffer.from(csv([HEADERS]), 'utf8'));
      expect(empty.json<ErrorBody>().error.fields?.[0]?.message).toBe('文件中只有表头，没有数据行');
      const json = await t.app.inject({ method: 'POST', url: '/api/imports/residents', headers: { cookie: worker }, payload: { file: 'x' } });
      expect(json.statusCode).toBe(415);
      const broken = await upload(t, worker, '坏.csv', Buffer.from('姓名,身份证号\n"张三,110\n李四,120\n', 'utf8'));
      expect(broken.statusCode).toBe(400);
      expect(broken.json<ErrorBody>().error.fields?.[0]?.message).toMatch(/CSV 文件在第 \d+ 行附近格式有误/);
      const big = await upload(t, worker, '大.csv', Buffer.alloc(20 * 1024 * 1024 + 10, 0x41));
      expect(big.statusCode).toBe(413);
      expect(big.json<ErrorBody>().error.fields?.[0]?.message).toMatch(/20 MB/);
    });
  });

  it('explains an ID number Excel stored as a number (its last digits are lost)', async () => {
    const a = await analyse('数字.xlsx', await xlsx([['姓名', '身份证号', '楼栋', '单元', '门牌号'], ['钱七', Number(id(60)), '2栋', '1单元', '0101']]));
    const { result } = await run(a, { dryRun: true });
    expect(result.errors[0]).toMatchObject({ row: 2, column: '身份证号', reason: expect.stringMatching(/被 Excel 当作数字保存/) });
  });

  describe('mapping', () => {
    it('asks for the required columns it could not recognize, and takes a manual mapping', async () => {
      const text = csv([['人名', '号码', '楼', '单元', '房', '电话号'], ['赵六', id(5), '2栋', '2单元', '0505', '13800000005']]);
      const a = await analyse('手填.csv', Buffer.from(text, 'utf8'));
      expect(a.missingFields).toEqual(['name', 'docNumber', 'room']);
      const refused = await t.app.inject({ method: 'POST', url: `/api/imports/${a.id}/run`, headers: { cookie: worker }, payload: { mapping: { ...a.mapping, 不存在: 'notes' }, dryRun: true, onExisting: 'skip' } });
      expect(refused.statusCode).toBe(400);
      expect(refused.json<ErrorBody>().error.fields?.map((f) => f.message)).toEqual(['文件中没有名为“不存在”的列', '请指定“姓名”对应的列', '请指定“证件号码”对应的列', '请指定“门牌号”对应的列']);
      const twice = await t.app.inject({ method: 'POST', url: `/api/imports/${a.id}/run`, headers: { cookie: worker }, payload: { mapping: { 人名: 'name', 号码: 'docNumber', 楼: 'building', 单元: 'unit', 房: 'room', 电话号: 'name' }, dryRun: true, onExisting: 'skip' } });
      expect(twice.json<ErrorBody>().error.fields?.map((f) => f.message)).toEqual(['“姓名”已对应到列“人名”，每项只能对应一列']);
      const { result } = await run(a, { mapping: { 人名: 'name', 号码: 'docNumber', 楼: 'building', 单元: 'unit', 房: 'room', 电话号: 'phone' } });
      expect(result).toMatchObject({ total: 1, created: 1, rejected: 0, householdsCreated: 1 });
      const list = await t.app.inject({ url: `/api/residents?q=${encodeURIComponent('赵六')}`, headers: { cookie: worker } });
      expect(list.json<{ items: { phoneMasked: string; regionCode: string }[] }>().items[0]).toMatchObject({ phoneMasked: '138****0005', regionCode: `${B2}020505` });
    });
  });

  describe('running an import', () => {
    const good = [person(10), person(11, { 标签: '独居老人、透析' }), person(12, { 门牌号: '3-02' }), person(13, { 楼栋: '3号楼', 单元: '1', 门牌号: '1201' })];
    // Rows that only need normalizing: full-width digits, stray spaces, lowercase x, an aligned name.
    const xId = (() => {
      for (let n = 100; ; n++) if (id(n).endsWith('X')) return n;
    })();
    const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    const normalizing = [
      person(14, { 身份证号: fullWidth(id(14)), 手机号: ` ${fullWidth('13800000014')} ` }),
      person(xId, { 身份证号: ` ${id(xId).slice(0, 6)} ${id(xId).slice(6, 14)} ${id(xId).slice(14).toLowerCase()} `, 姓名: '王\u3000五', 门牌号: '302室' }),
    ];
    const wrongCheck = id(20).slice(0, 17) + (id(20).endsWith('0') ? '1' : '0');
    const bad: { row: string[]; column: string; reason: RegExp }[] = [
      { row: person(20, { 身份证号: wrongCheck }), column: '身份证号', reason: /校验位不正确/ },
      { row: person(21, { 手机号: '1234567' }), column: '手机号', reason: /手机号应为 11 位/ },
      { row: person(22, { 姓名: '' }), column: '姓名', reason: /姓名不能为空/ },
      { row: person(10, { 姓名: '重复者' }), column: '身份证号', reason: /与第 2 行重复/ },
      { row: person(23, { 楼栋: '9栋' }), column: '楼栋', reason: /社区A下没有楼栋“9栋”/ },
      { row: person(24, { 楼栋: CODES.buildingB }), column: '楼栋', reason: /不存在，或不在您的管辖范围内/ },
      { row: person(25, { 单元: '7单元' }), column: '单元', reason: /2栋下没有单元“7单元”/ },
      { row: person(26, { 标签: '外星人' }), column: '标签', reason: /标签“外星人”无法识别/ },
      { row: person(27, { 门牌号: '甲' }), column: '门牌号', reason: /门牌号“甲”无法识别/ },
      { row: person(28, { 性别: '女', 身份证号: buildResidentId('110105', '1988-02-02', 301) }), column: '性别', reason: /性别与身份证号不一致/ },
    ];
    // Header is row 1; the good rows are 2–5, normalizing 6–7, bad from 8 (with a blank row between).
    const rows = [HEADERS, ...good, ...normalizing, ...bad.slice(0, 5).map((b) => b.row), HEADERS.map(() => ''), ...bad.slice(5).map((b) => b.row)];
    const rowOf = (i: number) => 8 + i + (i >= 5 ? 1 : 0);
    let file: Buffer;
    let a: ImportAnalysis;

    beforeAll(async () => {
      file = await xlsx(rows);
      a = await analyse('居民导入.xlsx', file);
    });

    it('a dry run counts everything and writes nothing', async () => {
      const before = await Promise.all([count('residents'), count('households'), count('audit_events')]);
      const { result, job } = await run(a, { dryRun: true });
      expect(result).toMatchObject({ dryRun: true, total: 16, created: 6, updated: 0, unchanged: 0, skipped: 0, rejected: 10 });
      expect(job.message).toMatch(/^校验完成（未写入）/);
      expect(await Promise.all([count('residents'), count('households'), count('audit_events')])).toEqual(before);
    });

    it('imports the good rows, normalized, and reports each bad row with its row, column and reason', async () => {
      const auditBefore = await count('audit_events');
      const { result, job } = await run(a);
      expect(result).toMatchObject({ dryRun: false, total: 16, created: 6, updated: 0, unchanged: 0, skipped: 0, rejected: 10 });
      expect(result.errors).toHaveLength(10);
      bad.forEach((b, i) => {
        const e = result.errors[i]!;
        expect({ row: e.row, column: e.column }, e.reason).toEqual({ row: rowOf(i), column: b.column });
        expect(e.reason).toMatch(b.reason);
      });
      expect(result.errors[0]!.value).toBe(wrongCheck);
      expect(job.downloadable).toBe(true);
      // One audit event per household and per resident created, and one for the import as a whole.
      expect((await count('audit_events')) - auditBefore).toBe(6 + (result.householdsCreated ?? 0) + 1);

      const sys = Scope.system('check');
      const list = await t.ctx.services.residents.list(sys, { q: '王五', pageSize: 5 });
      expect(list.items).toHaveLength(1);
      const wang = list.items[0]!;
      expect((await t.ctx.services.residents.unmask(sys, wang.id, '核对导入')).docNumber).toBe(id(xId));
      expect(wang.regionCode).toBe(`${B2}01${'0302'}`);
      const full = (await t.ctx.services.residents.list(sys, { q: id(14), pageSize: 5 })).items[0]!;
      expect((await t.ctx.services.residents.unmask(sys, full.id, '核对导入')).phone).toBe('13800000014');
      const tagged = (await t.ctx.services.residents.list(sys, { q: id(11), pageSize: 5 })).items[0]!;
      expect(tagged.tags).toEqual(['dialysis', 'elderly_alone']);
      const tower = (await t.ctx.services.residents.list(sys, { q: id(13), pageSize: 5 })).items[0]!;
      expect(tower.regionCode).toBe(`${B3}011201`);
      const household = await t.ctx.services.households.get(sys, tower.householdId);
      expect(household.address).toBe('社区A 3号楼 一单元 1201室');
    });

    it('offers the error report for download, readable as a spreadsheet', async () => {
      const { job } = await run(a, { dryRun: true });
      const res = await download(t, worker, job.id);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/spreadsheetml/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+\.xlsx"; filename\*=UTF-8''%E5%AF%BC%E5%85%A5%E9%94%99%E8%AF%AF%E6%8A%A5%E5%91%8A_/);
      expect(decodeURIComponent(String(res.headers['content-disposition']).split("''")[1]!)).toMatch(/^导入错误报告_居民导入_20261129-0900\.xlsx$/);
      const report = await readXlsx(res.rawPayload);
      expect(report.rows[0]).toEqual(['行号', '列', '原值', '原因']);
      expect(report.rows.slice(1).map((r) => [Number(r[0]), r[1]])).toEqual(bad.map((b, i) => [rowOf(i), b.column]));
      expect(report.rows[2]![2]).toBe('1234567');
    });

    it('a second import of the same file creates nothing', async () => {
      const before = await Promise.all([count('residents'), count('households')]);
      const { result } = await run(a);
      expect(result).toMatchObject({ created: 0, updated: 0, unchanged: 6, skipped: 0, rejected: 10, householdsCreated: 0 });
      expect(await Promise.all([count('residents'), count('households')])).toEqual(before);
    });

    it('updates a changed resident (audited with masked values) or skips it', async () => {
      const changed = await analyse('改动.csv', Buffer.from(csv([HEADERS, person(10, { 手机号: '13999999999', 门牌号: '0808', 备注: '已搬家' })]), 'utf8'));
      expect((await run(changed, { onExisting: 'skip' })).result).toMatchObject({ created: 0, updated: 0, skipped: 1 });
      const { result } = await run(changed, { onExisting: 'update' });
      expect(result).toMatchObject({ created: 0, updated: 1, skipped: 0, householdsCreated: 1 });
      const r = (await t.ctx.services.residents.list(Scope.system('check'), { q: id(10), pageSize: 5 })).items[0]!;
      expect(r).toMatchObject({ phoneMasked: '139****9999', notes: '已搬家', regionCode: `${B2}010808`, version: 2 });
      const event = await t.ctx.db.selectFrom('audit_events').selectAll().where('entity_id', '=', r.id).where('action', '=', 'resident.update').executeTakeFirstOrThrow();
      expect(JSON.parse(event.diff!)).toMatchObject({ phone: ['138****0010', '139****9999'], notes: ['', '已搬家'] });
      expect(event.diff).not.toContain('13999999999');
      expect(event.purpose).toBe('批量导入“改动.csv”第 2 行');
    });

    it('keeps to the importer: others cannot run it; a grid worker imports into the grid', async () => {
      const other = await t.app.inject({ method: 'POST', url: `/api/imports/${a.id}/run`, headers: { cookie: grid }, payload: { mapping: a.mapping, dryRun: true, onExisting: 'skip' } });
      expect(other.statusCode).toBe(404);
      const mine = await analyse('网格.csv', Buffer.from(csv([HEADERS, person(40)]), 'utf8'), grid);
      expect((await run(mine, {}, grid)).result).toMatchObject({ created: 1 });
    });

    it('refuses a side-B user importing into side A', async () => {
      await t.ctx.services.users.create(sys, { username: 'b_worker', displayName: '乙方社工', role: 'community_worker', nodeCode: CODES.communityB, password: TEST_PASSWORD });
      await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).where('username', '=', 'b_worker').execute();
      const b = await t.login('b_worker');
      const theirs = await analyse('乙方.csv', Buffer.from(csv([HEADERS, person(50)]), 'utf8'), b);
      const intoA = await t.app.inject({ method: 'POST', url: `/api/imports/${theirs.id}/run`, headers: { cookie: b }, payload: { mapping: theirs.mapping, dryRun: false, onExisting: 'update', node: CODES.communityA } });
      expect(intoA.statusCode).toBe(403);
      expect(intoA.json<ErrorBody>().error.code).toBe('GRIDLINE_OUT_OF_SCOPE');
      // By default into their own community, whose 2栋 has a 1单元 too.
      expect((await run(theirs, {}, b)).result).toMatchObject({ created: 1, rejected: 0 });
      // A document registered on side A is refused without revealing the record.
      const known = await analyse('乙方2.csv', Buffer.from(csv([HEADERS, person(10)]), 'utf8'), b);
      const refused = (await run(known, {}, b)).result;
      expect(refused).toMatchObject({ created: 0, updated: 0, rejected: 1 });
      expect(refused.errors[0]!.reason).toBe('该证件号码已在其他辖区登记，请联系上级核实');
    });
  });
  it('keeps the residents-per-node counts in step with the register after everything above', async () => {
    await expectCountsMatchRegister(t.ctx.db);
  });
});
