/**
 * Scale: a 50,000-row spreadsheet with ~5% bad rows and ~10% rows that only need normalizing, imported
 * through the API while the server keeps answering; then imported again, creating nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildResidentId, type ImportAnalysis, type ImportResult, type Job } from '@gridline/shared';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentHash } from '../src/modules/residents/personal-fields.js';
import { Scope } from '../src/security/scope.js';
import { download, finished, readXlsx, upload } from './files.js';
import { CODES, createTestApp, type TestApp } from './harness.js';
import { TEST_DIALECT } from './db.js';

const ROWS = 50_000;
const BUILDINGS = 20;
const HEADERS = ['姓名', '身份证号', '手机号', '楼栋', '单元', '门牌号', '与户主关系', '人员类别', '标签'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰';

type Expect = { kind: 'good'; doc: string } | { kind: 'bad'; column: string; reason: RegExp };

const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

/** Row i of the file (spreadsheet row i + 2) and what the import must make of it. */
function makeRows(): { rows: string[][]; expected: Expect[] } {
  const rows: string[][] = [];
  const expected: Expect[] = [];
  const doc = (i: number) => buildResidentId('320102', new Date(Date.UTC(1940, 0, 1) + (i % 25_000) * 86_400_000).toISOString().slice(0, 10), 100 + 2 * Math.floor(i / 25_000));
  for (let i = 0; i < ROWS; i++) {
    const id = doc(i);
    const b = (i % BUILDINGS) + 2;
    const floor = (i % 30) + 1;
    const room = (i % 4) + 1;
    const unit = (Math.floor(i / 7) % 4) + 1;
    const row = [
      `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}${GIVEN[i % GIVEN.length]}`,
      id.endsWith('X') && i % 2 ? id.toLowerCase() : id,
      `13${String(i).padStart(9, '0')}`,
      [`${b}栋`, `${b}号楼`, String(b)][i % 3]!,
      [`${unit}单元`, String(unit)][i % 2]!,
      [`${floor}0${room}`, `${String(floor).padStart(2, '0')}0${room}`, `${floor}-0${room}`][i % 3]!,
      i % 4 ? '子女' : '户主',
      ['户籍', '常住', '流动', '租户'][i % 4]!,
      i % 17 === 0 ? '独居老人、慢性病' : '',
    ];
    let e: Expect = { kind: 'good', doc: id };
    if (i % 20 === 7) {
      const kind = Math.floor(i / 20) % 4;
      if (kind === 0) {
        row[1] = id.slice(0, 17) + (id.endsWith('0') ? '1' : '0');
        e = { kind: 'bad', column: '身份证号', reason: /校验位不正确/ };
      } else if (kind === 1) {
        row[2] = '1380013800';
        e = { kind: 'bad', column: '手机号', reason: /手机号应为 11 位/ };
      } else if (kind === 2) {
        row[0] = '';
        e = { kind: 'bad', column: '姓名', reason: /^姓名不能为空$/ };
      } else {
        rows.push([...rows[i - 7]!]);
        expected.push({ kind: 'bad', column: '身份证号', reason: new RegExp(`^与第 ${i - 7 + 2} 行重复`) });
        continue;
      }
    } else if (i % 10 === 3) {
      // Normalizing only: full-width digits, or stray spaces inside and around the values.
      if (i % 20 === 3) {
        row[1] = fullWidth(row[1]!);
        row[2] = fullWidth(row[2]!);
      } else {
        row[0] = ` ${row[0]} `;
        row[1] = ` ${row[1]!.slice(0, 6)} ${row[1]!.slice(6)}`;
        row[2] = `${row[2]!.slice(0, 3)} ${row[2]!.slice(3, 7)} ${row[2]!.slice(7)} `;
      }
    }
    rows.push(row);
    expected.push(e);
  }
  return { rows, expected };
}

async function writeXlsx(file: string, rows: string[][]): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('居民');
  ws.addRow(HEADERS).commit();
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
}

describe(`importing ${ROWS} rows (${TEST_DIALECT})`, () => {
  let t: TestApp;
  let worker: string;
  let file: Buffer;
  let expected: Expect[];
  let tmpDir: string;

  beforeAll(async () => {
    t = await createTestApp();
    const sys = Scope.system('test');
    for (let b = 2; b < BUILDINGS + 2; b++) {
      const code = `${CODES.gridA}${String(b).padStart(3, '0')}`;
      await t.ctx.services.regions.create(sys, { code, name: `${b}栋` });
      for (let u = 1; u <= 4; u++) await t.ctx.services.regions.create(sys, { code: `${code}0${u}`, name: `${u}单元` });
    }
    worker = await t.login(t.world.usernames.community_worker);
    const made = makeRows();
    expected = made.expected;
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridline-scale-'));
    const tmp = path.join(tmpDir, 'residents.xlsx');
    await writeXlsx(tmp, made.rows);
    file = fs.readFileSync(tmp);
  }, 120_000);
  afterAll(async () => {
    await t.close();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  const runImport = async (a: ImportAnalysis) => {
    const started = performance.now();
    const res = await t.app.inject({ method: 'POST', url: `/api/imports/${a.id}/run`, headers: { cookie: worker }, payload: { mapping: a.mapping, dryRun: false, onExisting: 'update' } });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json<Job>().id;
    // The server answers while the import runs: health checks and progress reads, timed.
    const latencies: number[] = [];
    const progress: number[] = [];
    let done = false;
    const jobDone = finished(t, worker, id).then((j) => {
      done = true;
      return j;
    });
    while (!done) {
      const t0 = performance.now();
      const health = await t.app.inject({ url: '/api/health' });
      latencies.push(performance.now() - t0);
      expect(health.statusCode).toBe(200);
      progress.push((await t.app.inject({ url: `/api/jobs/${id}`, headers: { cookie: worker } })).json<Job>().progress);
      await new Promise((r) => setTimeout(r, 100));
    }
    const job = await jobDone;
    const seconds = (performance.now() - started) / 1000;
    expect(job.status, job.error ?? '').toBe('succeeded');
    return { job, result: job.result as unknown as ImportResult, seconds, latencies, progress };
  };

  it('imports every good row, reports every bad one with its reason, stays responsive, and re-imports as no-ops', async () => {
    const t0 = performance.now();
    const res = await upload(t, worker, '五万人.xlsx', file);
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json<ImportAnalysis>();
    const analysed = (performance.now() - t0) / 1000;
    expect(a).toMatchObject({ rowCount: ROWS, missingFields: [] });

    const good = expected.filter((e) => e.kind === 'good');
    const badRows = expected.map((e, i) => ({ e, row: i + 2 })).filter((x) => x.e.kind === 'bad');
    const first = await runImport(a);
    expect(first.result).toMatchObject({ total: ROWS, created: good.length, updated: 0, unchanged: 0, skipped: 0, rejected: badRows.length });
    expect(badRows.length / ROWS).toBeCloseTo(0.05, 2);
    expect(first.result.errors).toHaveLength(100);
    expect(Math.max(...first.latencies)).toBeLessThan(1000);
    // Progress advanced in between, visible to a reload.
    expect(first.progress.some((p) => p > 0 && p < ROWS)).toBe(true);

    // Every good row is in the register (by its document), normalized.
    const hashes = new Set((await t.ctx.db.selectFrom('residents').select('doc_number_hash').execute()).map((r) => r.doc_number_hash));
    const missing = good.filter((e) => e.kind === 'good' && !hashes.has(documentHash(t.ctx.cipher, 'resident_id', e.doc.toUpperCase())));
    expect(missing).toEqual([]);
    const spaced = await t.ctx.db.selectFrom('residents').select(['name', 'phone_masked']).where('doc_number_hash', '=', documentHash(t.ctx.cipher, 'resident_id', (good.find((_e, k) => k > 0)! as { doc: string }).doc)).executeTakeFirstOrThrow();
    expect(spaced.name).not.toMatch(/\s/);

    // Every bad row is in the report with the right column and reason.
    const report = await download(t, worker, first.job.id);
    expect(report.statusCode).toBe(200);
    const lines = (await readXlsx(report.rawPayload)).rows.slice(1);
    const byRow = new Map(lines.map((l) => [Number(l[0]), l]));
    expect(byRow.size).toBe(badRows.length);
    for (const { e, row } of badRows) {
      const line = byRow.get(row);
      if (e.kind !== 'bad') continue;
      expect(line?.[1], `row ${row}`).toBe(e.column);
      expect(line?.[3], `row ${row}`).toMatch(e.reason);
    }

    // The same file again: nothing created, every good row unchanged.
    const before = await t.ctx.db.selectFrom('residents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const again = await upload(t, worker, '五万人.xlsx', file);
    const second = await runImport(again.json<ImportAnalysis>());
    expect(second.result).toMatchObject({ total: ROWS, created: 0, updated: 0, unchanged: good.length, rejected: badRows.length, householdsCreated: 0 });
    const after = await t.ctx.db.selectFrom('residents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));

    console.log(
      `[scale ${TEST_DIALECT}] ${ROWS} rows: upload+analysis ${analysed.toFixed(1)} s, first import ${first.seconds.toFixed(1)} s ` +
        `(health max ${Math.max(...first.latencies).toFixed(0)} ms over ${first.latencies.length} checks), re-import ${second.seconds.toFixed(1)} s`,
    );
  }, 300_000);
});
