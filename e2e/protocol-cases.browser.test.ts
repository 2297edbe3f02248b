import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CasesPage, ProtocolPage } from './page-models/protocol-cases-page.js';
import { buildWeb, signIn } from './support/console.js';
import { browserAvailable, DESKTOP, launchBrowser, PHONE, shot } from './support/browser.js';
import { ApiClient, startServer, tempDir, type RunningServer } from './support/process.js';

/**
 * The versioned protocol and cases in a real browser: the street command opens 防控方案, sees the version in force
 * (the new ten measures), makes a new version with one changed value and sees exactly that change in its diff;
 * a tracer adds a confirmed case for a registered resident and sees it in the list and its timeline. Screenshots
 * at 1440 and 375 px land in e2e/artifacts/.
 */
const PASSWORD = 'Gridline@2026';
const canRun = browserAvailable();

describe.runIf(canRun)('protocol versions and cases in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let residentName: string;

  beforeAll(async () => {
    buildWeb();
    server = await startServer({ DATA_DIR: tempDir('protocol-cases'), DEMO_RESIDENTS: '1500' });
    browser = await launchBrowser();
    const api = new ApiClient(server.url);
    expect(await api.login('tracer', PASSWORD)).toBe(200);
    // A resident with no case yet in the demo.
    const residents = (await api.get<{ items: { id: string; name: string }[] }>('/api/residents?pageSize=50')).body.items;
    const cases = (await api.get<{ items: { residentId: string | null }[] }>('/api/cases?pageSize=50')).body.items;
    const free = residents.find((r) => !cases.some((c) => c.residentId === r.id) && !residents.some((o) => o.id !== r.id && o.name === r.name));
    residentName = free!.name;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signedIn = (username: string, viewport = DESKTOP): Promise<Page> => signIn(browser, server.url, username, viewport, PASSWORD);

  it('command sees the version in force, makes a new version with one changed value and sees its diff', async () => {
    const page = await signedIn('command');
    const protocol = new ProtocolPage(page, server.url);
    await protocol.open();
    expect(await protocol.detailName()).toContain('新十条');
    expect(await protocol.version('new-ten-2022-12').locator('[data-testid="protocol-in-force"]').count()).toBe(1);
    expect(await protocol.version('ninth-2022-06').locator('[data-testid="protocol-in-force"]').count()).toBe(0);
    expect(await protocol.value('/contactManagement/close/homeIsolationDays')).toBe('5 天');
    await shot(page, 'protocol-in-force-1440');

    await protocol.startNewVersion();
    await protocol.fillNewVersion({ name: '清溪街道疫情防控措施调整方案', document: '清溪防指发〔2026〕3号', fever: '37.5' });
    await page.waitForFunction(() => document.querySelector('[data-testid="protocol-form-count"]')?.textContent?.includes('1'));
    expect(await protocol.changedCount()).toBe('已修改 1 项');
    await shot(page, 'protocol-new-version-form-1440');
    await protocol.submit();
    await page.waitForFunction(() => document.querySelector('[data-testid="protocol-detail-name"]')?.textContent?.includes('清溪街道'));
    const rows = await protocol.openDiff();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('发热判定体温');
    expect(rows[0]).toContain('37.3 ℃');
    expect(rows[0]).toContain('37.5 ℃');
    await shot(page, 'protocol-diff-1440');
    const url = page.url();
    await page.context().close();

    // On a phone: the same version and its diff.
    const phone = await signedIn('command', PHONE);
    await phone.goto(url);
    const p2 = new ProtocolPage(phone, server.url);
    await p2.byTestId('protocol-detail-name').waitFor();
    expect(await p2.openDiff()).toHaveLength(1);
    await shot(phone, 'protocol-diff-375');
    await phone.context().close();
  });

  it('a tracer adds a confirmed case and sees it in the list and its timeline', async () => {
    const page = await signedIn('tracer');
    const cases = new CasesPage(page, server.url);
    await cases.open();
    const before = await cases.count('confirmedToday');
    await shot(page, 'cases-list-1440');
    await cases.createForResident(residentName);
    const timeline = await cases.timeline();
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toContain('新增为确诊病例');
    expect(timeline[0]).toContain('街道流调组');
    expect(await cases.byTestId('case-classification-tag').textContent()).toBe('确诊病例');
    expect(await cases.byTestId('case-protocol').textContent()).toContain('新十条');
    await shot(page, 'case-detail-1440');
    await cases.open();
    await cases.row(residentName).waitFor();
    expect(await cases.count('confirmedToday')).toBe(before + 1);
    await page.context().close();

    const phone = await signedIn('tracer', PHONE);
    const c2 = new CasesPage(phone, server.url);
    await c2.open();
    await c2.row(residentName).waitFor();
    await shot(phone, 'cases-list-375');
    await c2.row(residentName).click();
    await c2.byTestId('case-timeline').waitFor();
    await shot(phone, 'case-detail-375');
    await phone.context().close();
  });
});
