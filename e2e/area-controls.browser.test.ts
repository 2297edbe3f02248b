import type { AreaControlList } from '@gridline/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, signIn } from './support/console.js';
import { browserAvailable, DESKTOP, launchBrowser, PHONE, shot } from './support/browser.js';
import { ApiClient, startServer, tempDir, type RunningServer } from './support/process.js';

/**
 * Area controls in a real browser, on the demo street (its areas demo draws one control whose lifting rule is met
 * today and one still days short): the street official opens 管控措施 → 区域管控, sees the map coloured by level and
 * the residents each control affects, and lifts (or steps down) the control whose rule is met; the other one stays
 * with what is missing. Screenshots at 1440 and 375 px.
 */
const PASSWORD = 'Gridline@2026';
const canRun = browserAvailable();

describe.runIf(canRun)('area controls in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let before: AreaControlList;

  beforeAll(async () => {
    buildWeb();
    server = await startServer({ DATA_DIR: tempDir('area-controls'), DEMO_RESIDENTS: '2000' });
    browser = await launchBrowser();
    const api = new ApiClient(server.url);
    expect(await api.login('command', PASSWORD)).toBe(200);
    before = (await api.get<AreaControlList>('/api/measures/areas')).body;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signedIn = (username: string, viewport = DESKTOP): Promise<Page> => signIn(browser, server.url, username, viewport, PASSWORD);

  it('the demo has one control whose rule is met and one that is not', () => {
    expect(before.items).toHaveLength(2);
    const [met, notMet] = [before.items.find((c) => c.lifting.status === 'met')!, before.items.find((c) => c.lifting.status === 'not_met')!];
    expect(met).toMatchObject({ nodeLevel: 'unit', map: { inherited: true } });
    expect(met.residents).toBeGreaterThan(0);
    expect(notMet.lifting.missing[0]).toMatch(/^还需连续 \d+ 天无新增$/);
  });

  it('a street official sees the map and the residents affected, and acts on the control whose rule is met', async () => {
    const met = before.items.find((c) => c.lifting.status === 'met')!;
    const notMet = before.items.find((c) => c.lifting.status === 'not_met')!;
    const page = await signedIn('command');
    await page.goto(`${server.url}/measures?tab=areas`);
    await page.getByTestId('areas-tab').waitFor();
    await page.locator('[data-testid="areas-map"] path.leaflet-interactive').first().waitFor();
    expect(await page.locator('[data-testid="areas-map"] path.leaflet-interactive').count()).toBe(2);
    expect(await page.locator('.map-legend').textContent()).toContain('高风险区 / 封控区');
    const summary = await page.getByTestId('areas-summary').textContent();
    expect(summary).toContain(`涉及居民 ${met.residents + notMet.residents} 人`);
    const table = page.getByTestId('areas-table');
    const metRow = table.locator('tr', { hasText: met.nodeName });
    expect(await metRow.getByTestId('area-residents').textContent()).toBe(`${met.residents} 人`);
    expect(await metRow.textContent()).toContain('无边界，以');
    expect(await table.locator('tr', { hasText: notMet.nodeName }).getByTestId('area-missing').textContent()).toContain('天无新增');
    await shot(page, 'area-controls-1440');

    await metRow.getByTestId('area-step-down').click();
    const confirm = page.locator('.ant-popconfirm');
    expect(await confirm.textContent()).toContain(`涉及居民 ${met.residents} 人`);
    await shot(page, 'area-controls-confirm-1440');
    await confirm.locator('.ant-popconfirm-buttons .ant-btn-primary').click();
    await expect.poll(async () => page.locator('.ant-message').textContent(), { timeout: 15_000 }).toMatch(/已解除管控|已降为/);
    // Lifted: the control leaves the list; the one not met stays.
    await expect.poll(() => table.locator('tr', { hasText: met.nodeName }).count(), { timeout: 15_000 }).toBe(0);
    expect(await page.getByTestId('areas-summary').textContent()).toMatch(/^执行中 1 处/);
    await shot(page, 'area-controls-after-1440');
    await page.context().close();
  });

  it('works on a phone: map above, cards below, the missing days named', async () => {
    const phone = await signedIn('worker', PHONE);
    await phone.goto(`${server.url}/measures?tab=areas`);
    await phone.getByTestId('areas-cards').waitFor();
    await phone.locator('[data-testid="areas-map"] path.leaflet-interactive').first().waitFor();
    const card = phone.getByTestId('area-card').first();
    expect(await card.getByTestId('area-missing').textContent()).toContain('天无新增');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await shot(phone, 'area-controls-375');
    await card.scrollIntoViewIfNeeded();
    await shot(phone, 'area-controls-cards-375');
    // The control's drawer says how many residents it affects.
    const notMet = before.items.find((c) => c.lifting.status === 'not_met')!;
    await card.getByText(notMet.nodeName, { exact: true }).click();
    await expect.poll(() => phone.getByTestId('measure-residents-affected').textContent(), { timeout: 15_000 }).toBe(`${notMet.residents} 人`);
    await phone.context().close();
  });
});
