import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildResidentId } from '@gridline/shared';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsolePage } from './page-models/console-page.js';
import { LoginPage } from './page-models/login-page.js';
import { ResidentsPage } from './page-models/residents-page.js';
import { TransferPage } from './page-models/transfer-page.js';
import { buildWeb, signIn } from './support/console.js';
import { browserAvailable, launchBrowser, newContext, PHONE, shot } from './support/browser.js';
import { ApiClient, ROOT, startServer, tempDir, type RunningServer } from './support/process.js';

/**
 * The console in a real browser (Debian's Chromium), as people use it: each role sees only its menus; the
 * region tree and map; filtering residents; an import with good and bad rows and its error report; an
 * export; the language switch; the phone layout. Screenshots land in e2e/artifacts/.
 */
const PASSWORD = 'Gridline@2026';
const canRun = browserAvailable();

/** What each demo account must see in the side menu (and nothing more). */
const MENUS: Record<string, string[]> = {
  admin: ['dashboard', 'regions', 'devices', 'departments', 'users', 'audit'],
  command: ['dashboard', 'regions', 'residents', 'screening', 'tasks', 'health', 'arrivals', 'whistles', 'inbox', 'reports', 'cases', 'tracing', 'measures', 'protocol', 'places', 'checkpoint', 'transfer', 'devices', 'departments', 'performance'],
  head: ['dashboard', 'regions', 'residents', 'screening', 'tasks', 'health', 'arrivals', 'whistles', 'inbox', 'reports', 'cases', 'measures', 'protocol', 'places', 'checkpoint', 'transfer', 'departments', 'performance'],
  worker: ['dashboard', 'regions', 'residents', 'screening', 'tasks', 'health', 'arrivals', 'whistles', 'inbox', 'reports', 'cases', 'measures', 'protocol', 'places', 'checkpoint', 'transfer', 'departments', 'performance'],
  grid: ['dashboard', 'regions', 'residents', 'screening', 'tasks', 'health', 'arrivals', 'whistles', 'reports', 'tracing', 'measures', 'protocol', 'places', 'checkpoint', 'transfer', 'departments'],
  volunteer: ['dashboard', 'regions', 'checkpoint'],
  tracer: ['dashboard', 'regions', 'residents', 'screening', 'tasks', 'health', 'arrivals', 'reports', 'cases', 'tracing', 'measures', 'protocol', 'places', 'transfer'],
  dept: ['dashboard', 'regions', 'whistles', 'departments', 'performance'],
  auditor: ['dashboard', 'regions', 'measures', 'protocol', 'performance', 'audit'],
};

describe.runIf(canRun)('the web console in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    buildWeb();
    server = await startServer({ DATA_DIR: tempDir('browser'), DEMO_RESIDENTS: '3000' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signedIn = (username: string, viewport = { width: 1440, height: 900 }): Promise<Page> => signIn(browser, server.url, username, viewport, PASSWORD);

  it('shows every role only the menus it may use', async () => {
    for (const [username, expected] of Object.entries(MENUS)) {
      const page = await signedIn(username);
      const keys = await new ConsolePage(page, server.url).menuKeys();
      expect(keys, username).toEqual(expected);
      if (username === 'worker' || username === 'admin') await shot(page, `menu-${username}`);
      await page.context().close();
    }
  });

  it('gives a resident the phone-first portal and no console', async () => {
    const page = await signedIn('resident', PHONE);
    await page.locator('[data-testid="portal"]').waitFor();
    expect(await page.locator('[data-testid="side-menu"]').count()).toBe(0);
    await page.locator('[data-testid="portal-member"]').first().waitFor();
    await shot(page, 'portal-phone');
    await page.context().close();
  });

  it('refuses a wrong password with a clear Chinese message', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const login = new LoginPage(page, server.url);
    await login.open();
    await login.signIn('worker', 'not-the-password1');
    await login.byTestId('login-error').waitFor();
    expect(await login.errorText()).toContain('用户名或密码错误');
    await shot(page, 'login-error');
    await ctx.close();
  });

  it('browses the region tree with resident counts and draws grids on the map', async () => {
    const page = await signedIn('worker');
    await new ConsolePage(page, server.url).openModule('regions');
    const children = page.locator('[data-testid="region-children"]');
    await children.waitFor();
    await expect.poll(async () => children.textContent()).toContain('第1网格');
    // The map draws the community's 8 grids as polygons (no tile server involved).
    await expect.poll(async () => page.locator('[data-testid="region-map"] path.leaflet-interactive').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(8);
    await shot(page, 'regions-map');
    // Down to a unit: its households with heads and member counts.
    await page.goto(`${server.url}/regions/34010400800100100101`);
    await expect.poll(async () => page.locator('[data-testid="unit-households"] tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(3);
    await shot(page, 'regions-unit');
    await page.context().close();
  });

  it('filters residents by tag, matching the server’s own count', async () => {
    const page = await signedIn('worker');
    const residents = new ResidentsPage(page, server.url);
    await residents.open();
    const all = await residents.total();
    expect(all).toBeGreaterThan(100);
    const tagSelect = page.locator('[data-testid="filter-tags"]').first();
    await tagSelect.click();
    await page.keyboard.type('慢性病');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    const filtered = await residents.waitForTotalChange(all);
    const api = await page.request.get(`${server.url}/api/residents?tags=chronic_disease&pageSize=1`);
    expect(filtered).toBe(((await api.json()) as { total: number }).total);
    expect(filtered).toBeLessThan(all);
    await shot(page, 'residents-filtered');
    await residents.openFirstResident();
    await page.locator('[data-testid="household-members"]').waitFor();
    await shot(page, 'resident-drawer');
    await page.context().close();
  });

  it('tells a worker, live, when a colleague changes residents in their list, and refreshes on request', async () => {
    const page = await signedIn('worker');
    const residents = new ResidentsPage(page, server.url);
    await residents.open();
    await page.waitForTimeout(500); // the live stream is open
    const colleague = new ApiClient(server.url);
    expect(await colleague.login('grid', PASSWORD)).toBe(200);
    const r = (await colleague.get<{ items: { id: string; version: number }[] }>('/api/residents?pageSize=1')).body.items[0]!;
    const res = await fetch(`${server.url}/api/residents/${r.id}`, {
      method: 'PATCH', headers: { cookie: colleague.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ version: r.version, notes: '已上门核实' }),
    });
    expect(res.status).toBe(200);
    const banner = page.locator('[data-testid="live-changed"]');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('其他同事刚更新了 1 处名单数据');
    await shot(page, 'residents-live-changed');
    await banner.getByRole('button').click();
    await banner.waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('imports a file with good and bad rows and offers the error report', async () => {
    const dir = tempDir('xlsx');
    const file = path.join(dir, '梅园社区登记表.xlsx');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('居民');
    sheet.addRow(['姓名', '身份证号', '手机号', '楼栋', '单元', '门牌号', '与户主关系']);
    const good = [0, 1, 2].map((i) => buildResidentId('340104', `1990-0${i + 1}-15`, 801 + i * 2));
    sheet.addRow(['测试甲', good[0], '13900001111', '1栋', '1单元', '1701', '户主']);
    sheet.addRow(['测试乙', good[1]!.toLowerCase(), '１３９００００１１１２', '1栋', '1单元', '1701', '配偶']);
    sheet.addRow(['测试丙', good[2], '', '1栋', '1单元', '1702', '户主']);
    const bad = `${good[0]!.slice(0, 17)}${good[0]!.endsWith('1') ? '2' : '1'}`;
    sheet.addRow(['测试丁', bad, '13900001113', '1栋', '1单元', '1702', '配偶']);
    sheet.addRow(['测试戊', buildResidentId('340104', '1991-05-05', 901), '12345', '1栋', '1单元', '1702', '子女']);
    await book.xlsx.writeFile(file);

    const page = await signedIn('worker');
    const transfer = new TransferPage(page, server.url);
    await transfer.open();
    await transfer.upload(file);
    await shot(page, 'import-mapping');
    await transfer.dryRunThenImport();
    expect(await transfer.count('created')).toBe(3);
    expect(await transfer.count('rejected')).toBe(2);
    await page.locator('[data-testid="import-errors"]').waitFor();
    await shot(page, 'import-result');
    const report = new ExcelJS.Workbook();
    await report.xlsx.load((await transfer.download('[data-testid="import-step-result"]')) as unknown as ArrayBuffer);
    const rows: string[] = [];
    report.worksheets[0]!.eachRow((r) => rows.push(JSON.stringify(r.values)));
    expect(rows.join('\n')).toContain('校验位');
    expect(rows.join('\n')).toContain('手机号');
    await page.context().close();
  });

  it('keeps an import’s progress across a page reload', async () => {
    const dir = tempDir('reload');
    const file = path.join(dir, '续传测试.csv');
    const rows = ['姓名,身份证号,楼栋,单元,门牌号'];
    for (let i = 0; i < 400; i++) rows.push(`续传${String.fromCharCode(0x4e00 + i)},${buildResidentId('340104', '1985-03-03', i)},2栋,1单元,0${(i % 6) + 1}0${(i % 2) + 1}`);
    fs.writeFileSync(file, rows.join('\n'), 'utf8');
    const page = await signedIn('worker');
    const transfer = new TransferPage(page, server.url);
    await transfer.open();
    await transfer.upload(file);
    await transfer.byTestId('import-next-options').click();
    await transfer.byTestId('import-dry-run').click();
    await page.locator('[data-testid="import-run"]:not([disabled])').waitFor({ timeout: 60_000 });
    await transfer.byTestId('import-run').click();
    await page.reload();
    // Back on the same step, following the same job to its end.
    await page.locator('[data-testid="import-step-result"] [data-testid="job-progress"][data-status="succeeded"]').waitFor({ timeout: 60_000 });
    expect(await transfer.count('created')).toBe(400);
    await shot(page, 'import-after-reload');
    await page.context().close();
  });

  it('exports the register to .xlsx as a background job, masked', async () => {
    const page = await signedIn('worker');
    const transfer = new TransferPage(page, server.url);
    await transfer.goto('/transfer');
    await page.locator('[data-testid="transfer-export"]').click();
    await page.locator('[data-testid="export-modal"]').waitFor();
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.locator('[data-testid="export-modal"] [data-testid="job-progress"][data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await shot(page, 'export-done');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await transfer.download('[data-testid="export-modal"]')) as unknown as ArrayBuffer);
    const title = String(book.worksheets[0]!.getRow(1).getCell(1).value);
    expect(title).toContain('导出人');
    expect(title).toContain('已脱敏');
    await page.context().close();
  });

  it('switches to English and remembers it', async () => {
    const page = await signedIn('worker');
    const shell = new ConsolePage(page, server.url);
    await shell.waitReady();
    await shell.switchLanguage('en');
    await expect.poll(async () => page.locator('[data-testid="menu-residents"]').first().textContent()).toBe('Residents');
    await page.reload();
    await expect.poll(async () => page.locator('[data-testid="menu-residents"]').first().textContent()).toBe('Residents');
    await shot(page, 'english');
    await shell.switchLanguage('zh');
    await expect.poll(async () => page.locator('[data-testid="menu-residents"]').first().textContent()).toBe('居民管理');
    await page.context().close();
  });

  it('works on a 375 px phone: menu drawer and resident cards', async () => {
    const page = await signedIn('grid', PHONE);
    const shell = new ConsolePage(page, server.url);
    expect(await shell.menuKeys()).toEqual(MENUS.grid);
    const residents = new ResidentsPage(page, server.url);
    await residents.open();
    await page.locator('[data-testid="resident-card"]').first().waitFor();
    // Nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'residents-phone');
    await page.context().close();
  });

  it('loads the first console page with under 1 MB of gzipped JavaScript (code-split by module)', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const scripts = new Map<string, number>();
    page.on('response', (res) => {
      if (res.request().resourceType() !== 'script') return;
      void res.body().then((b) => scripts.set(res.url(), gzipSync(b).length)).catch(() => undefined);
    });
    const login = new LoginPage(page, server.url);
    await login.open();
    await login.signIn('worker', PASSWORD);
    await new ConsolePage(page, server.url).waitReady();
    await page.waitForLoadState('networkidle');
    const total = [...scripts.values()].reduce((a, b) => a + b, 0);
    console.log(`first page: ${scripts.size} scripts, ${(total / 1024).toFixed(0)} KiB gzipped`);
    expect(scripts.size).toBeGreaterThan(1);
    expect(total).toBeLessThan(1024 * 1024);
    // The residents module is not part of the first page: it arrives when opened.
    const before = scripts.size;
    await new ConsolePage(page, server.url).openModule('residents');
    await page.locator('[data-testid="residents-total"]').waitFor();
    await page.waitForLoadState('networkidle');
    expect(scripts.size).toBeGreaterThan(before);
    await ctx.close();
  });

  it('keeps its screenshots as artifacts', () => {
    expect(fs.readdirSync(path.join(ROOT, 'e2e/artifacts')).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(8);
  });
});
