/**
 * Places and place codes, posters, scans (residents by session, visitors by name + phone), the per-place scans
 * list, and the scans table's partitions on PostgreSQL.
 */
import zlib from 'node:zlib';
import { DEFAULT_PASSAGE_RULES, type CheckInResult, type Place, type ScanPage } from '@gridline/shared';
import jsQRImport from 'jsqr';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthStart } from '../src/db/partitions.js';
import { AppError } from '../src/lib/errors.js';
import { cjkFontFiles } from '../src/modules/places/cjk-font.js';
import { renderPosterPdf, renderPosterPng } from '../src/modules/places/place-poster.js';
import { Scope } from '../src/security/scope.js';
import { TEST_DIALECT } from './db.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const sys = Scope.system('test');
// jsqr is CommonJS whose module.exports is the function; NodeNext types see it as the module namespace.
const jsQR = jsQRImport as unknown as typeof jsQRImport.default;

/** Posters need a CJK font (fonts-noto-cjk): without one the poster test is skipped, except under CI=true. */
const hasFont = (() => {
  try {
    cjkFontFiles(undefined);
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw err;
    console.log('No CJK font (apt-get install fonts-noto-cjk): the poster rendering test is skipped.');
    return false;
  }
})();

/** Decodes the poster PNG this server writes (8-bit RGB, filter 0 on every row) into RGBA for jsQR. */
function decodePosterPng(png: Buffer): { width: number; height: number; rgba: Uint8ClampedArray } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let pos = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('ascii', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
    if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 3 + 1)]).toBe(0);
    for (let x = 0; x < width; x++) {
      const src = y * (width * 3 + 1) + 1 + x * 3;
      rgba.set([raw[src]!, raw[src + 1]!, raw[src + 2]!, 255], (y * width + x) * 4);
    }
  }
  return { width, height, rgba };
}

describe('places, place codes and scans', () => {
  let t: TestApp;
  let head: string;
  let resident: string;
  let bCommand: string;
  let gate: Place;

  const req = async <T>(method: 'GET' | 'POST' | 'PATCH', url: string, cookie?: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}), headers: cookie ? { cookie } : {} });
    return { status: res.statusCode, body: res.body ? res.json<T>() : (undefined as T), raw: res };
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLIC_URL: 'https://gridline.example.cn' } });
    head = await t.login(t.world.usernames.community_head);
    resident = await t.login(t.world.usernames.resident);
    await t.ctx.services.users.create(sys, { username: 'b_command', displayName: '乙方指挥', role: 'command', nodeCode: CODES.streetB, password: TEST_PASSWORD });
    await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).where('username', '=', 'b_command').execute();
    bCommand = await t.login('b_command');
  });
  afterAll(() => t.close());

  it('registers a place with an unguessable code, audited, and lists it within scope', async () => {
    const created = await req<Place>('POST', '/api/places', head, { kind: 'gate', name: '梅园社区东门', address: '梅园路 18 号', regionCode: CODES.communityA, checkpoint: true, lat: 31.86, lng: 117.25 });
    expect(created.status).toBe(201);
    gate = created.body;
    expect(gate.code).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(gate.code).not.toContain(gate.id.slice(0, 8));
    expect(gate.url).toBe(`https://gridline.example.cn/p/${gate.code}`);
    expect(gate.passageRules).toEqual(DEFAULT_PASSAGE_RULES);
    const audit = await t.ctx.db.selectFrom('audit_events').selectAll().where('entity_id', '=', gate.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['place.create']);
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) codes.add((await t.ctx.services.places.places.create(sys, { kind: 'shop', name: `商铺${i}`, regionCode: CODES.gridA })).code);
    expect(codes.size).toBe(20);
    const list = await req<{ items: Place[]; total: number }>('GET', '/api/places?q=东门', head);
    expect(list.body.items.map((p) => p.id)).toEqual([gate.id]);
    const checkpoints = await req<{ items: Place[] }>('GET', '/api/places?checkpoint=true', head);
    expect(checkpoints.body.items.map((p) => p.id)).toEqual([gate.id]);
  });

  it('refuses places outside the jurisdiction, unknown regions, empty names and stale versions', async () => {
    const outside = await req<{ error: { code: string } }>('POST', '/api/places', head, { kind: 'shop', name: '越界商铺', regionCode: CODES.communityB });
    expect([outside.status, outside.body.error.code]).toEqual([403, 'GRIDLINE_OUT_OF_SCOPE']);
    const unknown = await req<{ error: { code: string; fields: { path: string; message: string }[] } }>('POST', '/api/places', head, { kind: 'shop', name: '无区划', regionCode: `${CODES.communityA}999` });
    expect(unknown.status).toBe(409);
    expect(unknown.body.error.fields[0]).toMatchObject({ path: '/body/regionCode' });
    const empty = await req<{ error: { fields: { path: string; message: string }[] } }>('POST', '/api/places', head, { kind: 'shop', name: '   ', regionCode: CODES.communityA });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields).toEqual([{ path: '/body/name', code: 'required', message: '请填写场所名称' }]);
    const badKind = await req<{ error: { fields: { path: string }[] } }>('POST', '/api/places', head, { kind: 'casino', name: '赌场', regionCode: CODES.communityA });
    expect(badKind.body.error.fields.map((f) => f.path)).toContain('/body/kind');
    const edited = await req<Place>('PATCH', `/api/places/${gate.id}`, head, { version: gate.version, address: '梅园路 20 号', passageRules: { requireTemperature: true, feverDenies: true, residentsOnly: true } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, address: '梅园路 20 号', passageRules: { residentsOnly: true } });
    const stale = await req<{ error: { code: string } }>('PATCH', `/api/places/${gate.id}`, head, { version: gate.version, name: '旧版本' });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'GRIDLINE_STALE_VERSION']);
    const moveOut = await req<{ error: { code: string } }>('PATCH', `/api/places/${gate.id}`, head, { version: 2, regionCode: CODES.communityB });
    expect([moveOut.status, moveOut.body.error.code]).toEqual([403, 'GRIDLINE_OUT_OF_SCOPE']);
    gate = edited.body;
  });

  it.runIf(hasFont)('prints a PNG poster whose QR reads as PUBLIC_URL/p/<code>, and a PDF with the CJK font embedded', async () => {
    const png = await t.app.inject({ url: `/api/places/${gate.id}/poster?format=png`, headers: { cookie: head } });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(String(png.headers['content-disposition'])).toContain(encodeURIComponent('场所码-梅园社区东门.png'));
    const image = decodePosterPng(png.rawPayload);
    expect([image.width, image.height]).toEqual([1240, 1754]);
    expect(jsQR(image.rgba, image.width, image.height)?.data).toBe(`https://gridline.example.cn/p/${gate.code}`);
    const pdf = await t.app.inject({ url: `/api/places/${gate.id}/poster`, headers: { cookie: head } });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.toString('latin1')).toMatch(/NotoSans(Mono)?CJK/);
  });

  it('says plainly, in Chinese, when the server has no CJK font for posters', async () => {
    const poster = { name: '无字体', address: '', regionName: '', url: 'https://x/p/AAAAAAAAAAAAAAAA', code: 'AAAAAAAAAAAAAAAA', checkpoint: false, font: '/nonexistent/NotoSansCJK.ttc' };
    for (const render of [renderPosterPng, renderPosterPdf]) {
      const err = await render(poster).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).details).toEqual({ problem: '服务器缺少中文字体（fonts-noto-cjk），无法生成场所码海报，请联系系统管理员安装后重试' });
      expect((err as AppError).message).toContain('install fonts-noto-cjk');
    }
  });

  it('shows anyone the place behind an active code; unknown, malformed and inactive codes are not found', async () => {
    const pub = await req<Record<string, unknown>>('GET', `/api/place-codes/${gate.code}`);
    expect(pub.body).toEqual({ code: gate.code, name: '梅园社区东门', kind: 'gate', address: '梅园路 20 号' });
    expect((await req('GET', '/api/place-codes/AAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await req('GET', '/api/place-codes/short')).status).toBe(400);
    const shop = await t.ctx.services.places.places.create(sys, { kind: 'shop', name: '停业商铺', regionCode: CODES.gridA, active: false });
    expect((await req('GET', `/api/place-codes/${shop.code}`)).status).toBe(404);
    expect((await req('POST', `/api/place-codes/${shop.code}/visit`, undefined, { name: '访客', phone: '13800138000' })).status).toBe(404);
  });

  it('records a signed-in resident with one tap, and a visitor by name and phone stored encrypted', async () => {
    const me = await req<CheckInResult>('POST', `/api/place-codes/${gate.code}/check-in`, resident);
    expect(me.status).toBe(201);
    expect(me.body).toEqual({ placeName: '梅园社区东门', at: t.clock.now(), personMasked: '张*' });
    const staff = await req<{ error: { code: string } }>('POST', `/api/place-codes/${gate.code}/check-in`, head);
    expect([staff.status, staff.body.error.code]).toEqual([403, 'GRIDLINE_FORBIDDEN']);
    expect((await req('POST', `/api/place-codes/${gate.code}/check-in`)).status).toBe(401);

    const badPhone = await req<{ error: { fields: { path: string; message: string }[] } }>('POST', `/api/place-codes/${gate.code}/visit`, undefined, { name: '李访客', phone: '12345' });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error.fields).toEqual([{ path: '/body/phone', code: 'format', message: '手机号应为 11 位数字，以 1 开头，第二位为 3–9' }]);
    t.clock.advance(60_000);
    const visit = await req<CheckInResult>('POST', `/api/place-codes/${gate.code}/visit`, undefined, { name: ' 李 访客 ', phone: '+86 138-0013-8000' });
    expect(visit.status).toBe(201);
    expect(visit.body.personMasked).toBe('李***');
    t.clock.advance(60_000);
    await req('POST', `/api/place-codes/${gate.code}/visit`, undefined, { name: '李访客', phone: '13800138000' });
    const visitors = await t.ctx.db.selectFrom('visitors').selectAll().execute();
    expect(visitors).toHaveLength(1);
    expect(visitors[0]).toMatchObject({ name: '李访客', phone_masked: '138****8000', phone_last4: '8000' });
    expect(visitors[0]!.phone_enc).not.toContain('13800138000');
    expect(t.ctx.cipher.decrypt(visitors[0]!.phone_enc)).toBe('13800138000');
    const scans = await t.ctx.db.selectFrom('scans').selectAll().where('place_id', '=', gate.id).orderBy('at').execute();
    expect(scans.map((s) => [s.person_kind, s.source])).toEqual([['resident', 'self'], ['visitor', 'visitor'], ['visitor', 'visitor']]);
    expect(scans[1]!.person_id).toBe(visitors[0]!.id);
    expect(scans.every((s) => s.region_code === CODES.communityA && typeof s.id === 'number')).toBe(true);
  });

  it('forgets scans past the retention period, and the visitors only they named', async () => {
    const day = 86_400_000;
    const oldVisitor = { id: `v-old-${Date.now()}`, name: '旧访客', phone_enc: t.ctx.cipher.encrypt('13900001111'), phone_hash: `h-${Date.now()}`, phone_masked: '139****1111', phone_last4: '1111', created_at: t.clock.now() - 40 * day, updated_at: t.clock.now() - 40 * day };
    await t.ctx.db.insertInto('visitors').values(oldVisitor).execute();
    const scan = (at: number, person_id: string, person_kind: string) => ({ at, place_id: gate.id, region_code: CODES.communityA, person_kind, person_id, source: 'visitor', temperature_tenths: null, fever: 0, device_id: null });
    await t.ctx.db.insertInto('scans').values([scan(t.clock.now() - 40 * day, oldVisitor.id, 'visitor'), scan(t.clock.now() - 29 * day, 'r-old', 'resident')]).execute();
    const before = await t.ctx.db.selectFrom('scans').select('id').execute();
    await t.ctx.services.places.sweep(t.clock.now()); // retention: 28 days by default (SCAN_RETENTION_DAYS)
    const after = await t.ctx.db.selectFrom('scans').select(['person_id', 'at']).execute();
    expect(after).toHaveLength(before.length - 2);
    expect(after.every((x) => x.at >= t.clock.now() - 28 * day)).toBe(true);
    expect(await t.ctx.db.selectFrom('visitors').select('id').where('id', '=', oldVisitor.id).executeTakeFirst()).toBeUndefined();
    // The visitor with recent scans stays.
    expect(await t.ctx.db.selectFrom('visitors').select('id').where('name', '=', '李访客').executeTakeFirst()).toBeDefined();
  });

  it('lists a place’s scans to staff within scope, masked; side B gets nothing', async () => {
    const list = await req<ScanPage>('GET', `/api/places/${gate.id}/scans`, head);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(3);
    // Newest first; both visits show the visitor's current (last given) name.
    expect(list.body.items.map((s) => [s.personMasked, s.phoneMasked, s.source])).toEqual([
      ['李**', '138****8000', 'visitor'],
      ['李**', '138****8000', 'visitor'],
      ['张*', '139****1001', 'self'],
    ]);
    expect(list.raw.body).not.toContain('13800138000');
    expect(list.raw.body).not.toContain('张伟');
    const window = await req<ScanPage>('GET', `/api/places/${gate.id}/scans?from=${t.clock.now() - 90_000}`, head);
    expect(window.body.total).toBe(2);
    for (const url of [`/api/places/${gate.id}/scans`, `/api/places/${gate.id}`, `/api/places/${gate.id}/poster`]) {
      const b = await req<{ error: { code: string } }>('GET', url, bCommand);
      expect([b.status, b.body.error.code], url).toEqual([404, 'GRIDLINE_NOT_FOUND']);
    }
    const bList = await req<{ items: Place[] }>('GET', '/api/places?pageSize=200', bCommand);
    expect(bList.body.items).toEqual([]);
    const bEdit = await req<{ error: { code: string } }>('PATCH', `/api/places/${gate.id}`, bCommand, { version: gate.version, name: '越界' });
    expect(bEdit.status).toBe(404);
  });
});

// One branch per dialect: each run tests what its database does.
if (TEST_DIALECT === 'postgres') describe('scans partitions (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('keeps scans in monthly partitions with the (place, at) and (person, at) indexes, the far future in the default one', async () => {
    const kind = await sql<{ k: string }>`select relkind::text as k from pg_class where oid = 'scans'::regclass`.execute(t.ctx.db);
    expect(kind.rows[0]!.k).toBe('p');
    const month = (ms: number) => `scans_${new Date(ms).toISOString().slice(0, 7).replace('-', '')}`;
    const parts = (await sql<{ p: string }>`select inhrelid::regclass::text as p from pg_inherits where inhparent = 'scans'::regclass`.execute(t.ctx.db)).rows.map((r) => r.p.replace(/^.*\./, ''));
    for (let m = -1; m <= 3; m++) expect(parts).toContain(month(monthStart(Date.now(), m)));
    expect(parts).toContain('scans_default');
    const indexes = (await sql<{ d: string }>`select pg_get_indexdef(indexrelid) as d from pg_index where indrelid = 'scans'::regclass`.execute(t.ctx.db)).rows.map((r) => r.d);
    expect(indexes.some((d) => /\(place_id, at\)/.test(d))).toBe(true);
    expect(indexes.some((d) => /\(person_id, at\)/.test(d))).toBe(true);
    expect(indexes.some((d) => /UNIQUE.*\(id, at\)/.test(d))).toBe(true);
    const collation = await sql<{ c: string }>`select collname as c from pg_attribute a join pg_collation c on c.oid = a.attcollation where a.attrelid = 'scans'::regclass and a.attname = 'region_code'`.execute(t.ctx.db);
    expect(collation.rows[0]!.c).toBe('C');
    const place = await t.ctx.services.places.places.create(sys, { kind: 'market', name: '农贸市场', regionCode: CODES.communityA });
    const row = { place_id: place.id, region_code: CODES.communityA, person_kind: 'visitor', person_id: 'v', source: 'visitor', temperature_tenths: null, fever: 0, device_id: null };
    const now = Date.now();
    const far = Date.UTC(2031, 5, 15);
    const [a, b] = await t.ctx.db.insertInto('scans').values([{ ...row, at: now }, { ...row, at: far }]).returning('id').execute();
    const partOf = async (id: number) => (await sql<{ p: string }>`select tableoid::regclass::text as p from scans where id = ${id}`.execute(t.ctx.db)).rows[0]!.p.replace(/^.*\./, '');
    expect(await partOf(Number(a!.id))).toBe(month(now));
    expect(await partOf(Number(b!.id))).toBe('scans_default');
    expect(Number(b!.id)).toBeGreaterThan(Number(a!.id));
  });
});
