import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhistlesPage } from './page-models/whistles-page.js';
import { buildWeb, signIn } from './support/console.js';
import { browserAvailable, DESKTOP, launchBrowser, PHONE, shot } from './support/browser.js';
import { ApiClient, cli, startServer, tempDir, type RunningServer } from './support/process.js';

/**
 * 吹哨报到 in a real browser on the demo street: the grid worker blows a whistle on a phone with a photo and a map
 * pin; it is routed to the street's 卫健办, whose staff (`dept`) acknowledge it, add an on-site photo and report
 * resolution; the community rates it and it closes. A second whistle nobody acknowledges is moved past its deadline
 * (in the database, as time passing would) and the sweep (`gridline whistles sweep`) escalates it to the street,
 * where the command sees it badged. Screenshots at 1440 and 375 px land in e2e/artifacts/.
 */
const PASSWORD = 'Gridline@2026';
const canRun = browserAvailable();

/** A small valid PNG (a solid colour), as a phone camera's photo stands in. */
function png(w: number, h: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set(rgb, y * (w * 3 + 1) + 1 + x * 3);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

describe.runIf(canRun)('whistles (吹哨报到) in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const dataDir = tempDir('whistles');

  beforeAll(async () => {
    buildWeb();
    server = await startServer({ DATA_DIR: dataDir, DEMO_RESIDENTS: '2000' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signedIn = (username: string, viewport = DESKTOP): Promise<Page> => signIn(browser, server.url, username, viewport, PASSWORD);

  it('a grid worker whistles with a photo; the department acknowledges and resolves; the community rates it', async () => {
    // The grid worker, on a phone.
    const phone = await signedIn('grid', PHONE);
    const grid = new WhistlesPage(phone, server.url);
    await grid.open();
    await shot(phone, 'whistles-list-375');
    await grid.raise({
      urgency: 'emergency', title: '独居老人高烧需就医', description: '2单元独居老人高烧39℃，行动不便，需要卫健协调上门诊治或转运。', address: '梅园小区2单元0401',
      photo: { name: '现场.png', mimeType: 'image/png', buffer: png(320, 240, [70, 130, 180]) },
    });
    await shot(phone, 'whistles-raise-form-375');
    // 就医用药 (the form's default category) goes to the street's 卫健办 by the demo's routing rules.
    await grid.submitRaise();
    const url = phone.url();
    const id = url.split('/').pop()!;
    expect(await grid.byTestId('whistle-department').textContent()).toBe('清溪街道卫健办');
    expect(await grid.statusText()).toBe('待签收');
    await grid.page.locator('[data-testid="whistle-file"]').first().waitFor();
    await shot(phone, 'whistle-raised-375');

    // The department user, on a desktop: acknowledge, add an on-site photo, report resolution.
    const deptPage = await signedIn('dept');
    const dept = new WhistlesPage(deptPage, server.url);
    await dept.open();
    await dept.row('独居老人高烧需就医').waitFor();
    await shot(deptPage, 'whistles-dept-list-1440');
    await dept.row('独居老人高烧需就医').click();
    await dept.byTestId('whistle-detail').waitFor();
    await dept.step('acknowledge', '已联系社区医生，马上到场');
    expect(await dept.statusText()).toBe('处置中');
    await dept.upload({ name: '处置后.png', mimeType: 'image/png', buffer: png(320, 240, [60, 160, 90]) });
    await dept.step('resolve', '医生已上门诊治，老人体温已降，安排次日复诊');
    expect(await dept.statusText()).toBe('待评价');
    // The department cannot close it: no confirm button for it.
    expect(await dept.page.locator('[data-testid="whistle-action-confirm"]').count()).toBe(0);
    await shot(deptPage, 'whistle-dept-resolved-1440');
    await deptPage.context().close();

    // The community (the grid worker again, on the phone) rates it: closed.
    await phone.goto(`${server.url}/whistles/${id}`);
    await grid.byTestId('whistle-action-confirm').waitFor();
    await grid.step('confirm', '处置及时', 'satisfied');
    expect(await grid.statusText()).toBe('已办结');
    const timeline = (await grid.byTestId('whistle-timeline').textContent()) ?? '';
    for (const step of ['吹哨', '派单', '签收', '反馈办结', '评价办结']) expect(timeline).toContain(step);
    expect(timeline).toContain('评价：满意，已解决');
    await shot(phone, 'whistle-closed-375');
    const desk = await signedIn('grid');
    await desk.goto(`${server.url}/whistles/${id}`);
    await desk.locator('[data-testid="whistle-timeline"]').waitFor();
    await shot(desk, 'whistle-closed-1440');
    await desk.context().close();
    await phone.context().close();
  });

  it('an unacknowledged whistle escalates to the street and shows there badged', async () => {
    const api = new ApiClient(server.url);
    expect(await api.login('grid', PASSWORD)).toBe(200);
    const me = (await api.get<{ nodeCode: string }>('/api/auth/me')).body;
    const res = await fetch(`${server.url}/api/whistles`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie: api.cookie },
      body: JSON.stringify({ category: 'medical', urgency: 'emergency', title: '透析患者无法出行', description: '透析患者所在楼栋封控，今日透析无法出行，需卫健协调转运。', regionCode: me.nodeCode }),
    });
    expect(res.status).toBe(201);
    const { id, no } = (await res.json()) as { id: string; no: string };
    // Forty minutes pass without an acknowledgement: its stored deadline is now in the past.
    const db = new Database(path.join(dataDir, 'gridline.sqlite'));
    const past = Date.now() - 10 * 60_000;
    db.prepare('update whistles set ack_due_at = ?, next_escalation_at = ?, created_at = created_at - 2400000 where id = ?').run(past, past, id);
    db.close();
    const swept = cli(['whistles', 'sweep'], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    expect(swept.code, swept.stderr).toBe(0);
    expect(swept.stdout).toContain(`${no} → street`);

    const page = await signedIn('command');
    const list = new WhistlesPage(page, server.url);
    await list.open('?escalated=1');
    const row = list.row('透析患者无法出行');
    await row.waitFor();
    expect(await row.textContent()).toContain('已升级至街道');
    expect(await row.textContent()).toContain('超时未签收');
    await shot(page, 'whistles-escalated-street-1440');
    await row.click();
    await list.byTestId('whistle-event-escalated').waitFor();
    expect(await list.byTestId('whistle-event-escalated').textContent()).toContain('超时未签收，由社区升级至街道');
    await shot(page, 'whistle-escalated-detail-1440');
    await page.context().close();

    const phone = await signedIn('command', PHONE);
    const p = new WhistlesPage(phone, server.url);
    await p.open('?escalated=1');
    await p.row('透析患者无法出行').waitFor();
    await shot(phone, 'whistles-escalated-street-375');
    await phone.context().close();
  });

  it('shows the departments, the routing rules and the performance figures', async () => {
    const page = await signedIn('command');
    await page.goto(`${server.url}/departments`);
    await page.locator('[data-testid="dept-table"]').waitFor();
    expect(await page.locator('[data-testid="dept-table"]').textContent()).toContain('清溪街道卫健办');
    await shot(page, 'departments-1440');
    await page.goto(`${server.url}/performance`);
    await page.locator('[data-testid="performance-chart"]').waitFor();
    expect(await page.locator('[data-testid="performance-formulas"]').textContent()).toContain('满意率 = 社区评价“满意”的哨件数 ÷ 已评价的哨件数');
    await shot(page, 'performance-1440');
    await page.context().close();
    const phone = await signedIn('dept', PHONE);
    await phone.goto(`${server.url}/performance`);
    await phone.locator('[data-testid="performance-response"]').waitFor();
    await shot(phone, 'performance-375');
    await phone.context().close();
  });
});
