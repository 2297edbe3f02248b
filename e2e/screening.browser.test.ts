import type { Campaign, CampaignProgress, FieldHouseholds, Visit, VisitBody } from '@gridline/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignPage } from './page-models/campaign-page.js';
import { FieldPage } from './page-models/field-page.js';
import { buildWeb, signIn } from './support/console.js';
import { browserAvailable, DESKTOP, launchBrowser, PHONE, shot } from './support/browser.js';
import { ApiClient, startServer, tempDir, type RunningServer } from './support/process.js';

/**
 * Screening in a real browser: a grid worker's phone goes offline, the app still opens (service worker + the
 * lists kept in IndexedDB), three visits are recorded and queued, and when the network returns they are stored
 * exactly once (checked through the API). A conflict with a colleague's visit is shown and resolved. The street
 * sees coverage on the map. Screenshots at 375 px (phone) and 1440 px (desktop) land in e2e/artifacts/.
 */
const PASSWORD = 'Gridline@2026';
const GRID1 = '340104008001001';
const canRun = browserAvailable();

async function send<T>(client: ApiClient, base: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${url}`, { method, headers: { cookie: client.cookie, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as T };
}

describe.runIf(canRun)('screening in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let command: ApiClient;
  let grid: ApiClient;
  let campaign: Campaign;

  beforeAll(async () => {
    buildWeb();
    server = await startServer({ DATA_DIR: tempDir('screening'), DEMO_RESIDENTS: '2000' });
    browser = await launchBrowser();
    command = new ApiClient(server.url);
    grid = new ApiClient(server.url);
    expect(await command.login('command', PASSWORD)).toBe(200);
    expect(await grid.login('grid', PASSWORD)).toBe(200);
    // A campaign of the grid worker's own grid, so every household starts not visited.
    const draft = await send<Campaign>(command, server.url, 'POST', '/api/screening/campaigns', { name: '离线走访演练', nodeCode: GRID1, startsOn: '2026-01-01', endsOn: '2030-12-31' });
    expect(draft.status).toBe(201);
    const started = await send<Campaign>(command, server.url, 'POST', `/api/screening/campaigns/${draft.body.id}/activate`, { version: draft.body.version });
    expect(started.status).toBe(200);
    campaign = started.body;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signedIn = (username: string, viewport = DESKTOP): Promise<Page> => signIn(browser, server.url, username, viewport, PASSWORD);

  /** Screenshots show what stays on screen, not the passing "saved" toasts. */
  const settled = (page: Page) => page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 10_000 });
  const myVisits = async () => (await send<{ items: Visit[] }>(grid, server.url, 'GET', `/api/screening/visits?campaignId=${campaign.id}&pageSize=200`)).body.items;

  it('records three visits offline and stores each exactly once when the network returns', async () => {
    const page = await signedIn('grid', PHONE);
    const field = new FieldPage(page, server.url);
    await field.openHome();
    await field.waitKept(campaign.id);
    await field.openCampaign(campaign.id);
    expect(await field.households('pending').count()).toBeGreaterThan(10);
    // The service worker controls the page and keeps every bundle it loaded (the visit form's included).
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true);
    await expect
      .poll(() => page.evaluate(async () => {
        const cache = await caches.open('gridline-shell-v1');
        const loaded = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.startsWith('/assets/'));
        const missing = [];
        for (const p of loaded) if (!(await cache.match(p))) missing.push(p);
        return { missing, shell: !!(await cache.match('/')) };
      }), { timeout: 20_000 })
      .toEqual({ missing: [], shell: true });

    await page.context().setOffline(true);
    // Opened again without a network: the shell from the cache, the list and the questionnaire from IndexedDB.
    await page.reload();
    await page.locator('[data-testid="field-offline-list"]').waitFor({ timeout: 20_000 });
    expect((await field.syncState()).state).toBe('offline');

    const visited: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await field.openHousehold(field.households('pending').first());
      if (i === 0) {
        await field.byTestId('visit-member').waitFor();
        await settled(page).catch(() => undefined);
        await shot(page, 'screening-visit-form-offline-phone');
      }
      if (i < 2) await field.recordAllNormal();
      else await field.recordNobodyHome();
      visited.push(id);
    }
    expect(new Set(visited).size).toBe(3);
    await expect.poll(() => field.syncState()).toMatchObject({ state: 'offline', pending: 3, text: '离线 · 待同步 3 条' });
    await settled(page);
    await shot(page, 'screening-field-offline-phone');
    // Nothing reached the server yet.
    expect(await myVisits()).toEqual([]);

    await page.context().setOffline(false);
    await expect.poll(() => field.syncState(), { timeout: 40_000 }).toMatchObject({ state: 'synced', pending: 0, text: '已同步' });
    await page.locator('[data-testid="field-offline-list"]').waitFor({ state: 'detached', timeout: 20_000 });
    // The list, read from the server again, and the visits just sent agree.
    const total = (await send<FieldHouseholds>(command, server.url, 'GET', `/api/screening/campaigns/${campaign.id}/households?grid=${GRID1}`)).body.households.length;
    await expect.poll(() => field.byTestId('field-done').textContent()).toBe(`已走访 2 / ${total} 户`);
    await settled(page);
    await shot(page, 'screening-field-synced-phone');
    const stored = await myVisits();
    expect(stored.map((v) => v.householdId).sort()).toEqual([...visited].sort());
    expect(stored.map((v) => v.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(stored.filter((v) => v.outcome === 'nobody_home').map((v) => v.householdId)).toEqual([visited[2]]);

    // A retry of the same queued visits (a lost answer on a bad line) changes nothing: same keys, same visits.
    const replayed = await page.evaluate(async () => {
      const open = indexedDB.open('gridline-field');
      const db = await new Promise<IDBDatabase>((resolve, reject) => { open.onsuccess = () => resolve(open.result); open.onerror = () => reject(open.error); });
      const items = await new Promise<{ body: unknown }[]>((resolve) => { const r = db.transaction('queue').objectStore('queue').getAll(); r.onsuccess = () => resolve(r.result as { body: unknown }[]); });
      const ids = [];
      for (const q of items) ids.push(((await (await fetch('/api/screening/visits', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(q.body) })).json()) as { id: string }).id);
      return ids;
    });
    expect(replayed.sort()).toEqual(stored.map((v) => v.id).sort());
    expect(await myVisits()).toHaveLength(3);
    const p = (await send<CampaignProgress>(command, server.url, 'GET', `/api/screening/campaigns/${campaign.id}/progress`)).body;
    expect(p.totals).toMatchObject({ visited: 2, nobodyHome: 1 });
    await page.context().close();
  });

  it('shows a conflict with a colleague’s later visit and lets the worker resolve it', async () => {
    const page = await signedIn('grid', PHONE);
    const field = new FieldPage(page, server.url);
    await field.openHome();
    await field.waitKept(campaign.id);
    await field.openCampaign(campaign.id);
    await page.context().setOffline(true);
    const row = field.households('pending').first();
    const id = await field.openHousehold(row);
    // Meanwhile a colleague visits the same household from the console.
    const list = (await send<FieldHouseholds>(command, server.url, 'GET', `/api/screening/campaigns/${campaign.id}/households?grid=${GRID1}`)).body;
    const h = list.households.find((x) => x.id === id)!;
    const theirs: VisitBody = {
      clientKey: crypto.randomUUID(), campaignId: campaign.id, householdId: id, baseVersion: h.version, outcome: 'visited', visitedAt: Date.now(),
      results: h.members.map((m) => ({ residentId: m.id, answers: { presence: 'home', symptoms: [], special_needs: [] } })),
    };
    expect((await send<Visit>(command, server.url, 'POST', '/api/screening/visits', theirs)).body.status).toBe('accepted');
    await field.recordAllNormal();
    await page.context().setOffline(false);
    await expect.poll(() => field.syncState(), { timeout: 40_000 }).toMatchObject({ state: 'conflict' });
    await field.byTestId('sync-open').click();
    await field.byTestId('conflict-card').waitFor();
    await settled(page);
    await shot(page, 'screening-field-conflict-phone');
    await field.byTestId('conflict-keep-theirs').click();
    await expect.poll(() => field.syncState(), { timeout: 20_000 }).toMatchObject({ state: 'synced' });
    const mine = (await myVisits()).find((v) => v.householdId === id)!;
    expect(mine.status).toBe('discarded');
    await page.context().close();
  });

  it('at sign-out, offers to send unsent visits and clears what the phone kept', async () => {
    const page = await signedIn('grid', PHONE);
    const field = new FieldPage(page, server.url);
    await field.openHome();
    await field.waitKept(campaign.id);
    await field.openCampaign(campaign.id);
    // The visit cannot reach the server (a dead line that still looks online): it stays queued.
    await page.route('**/api/screening/visits', (route) => route.abort());
    await field.openHousehold(field.households('pending').first());
    await field.recordAllNormal();
    await expect.poll(() => field.syncState(), { timeout: 20_000 }).toMatchObject({ pending: 1 });
    const kept = () =>
      page.evaluate(async () => {
        const open = indexedDB.open('gridline-field');
        const db = await new Promise<IDBDatabase>((resolve, reject) => { open.onsuccess = () => resolve(open.result); open.onerror = () => reject(open.error); });
        const count = (store: string) => new Promise<number>((resolve) => { const r = db.transaction(store).objectStore(store).count(); r.onsuccess = () => resolve(r.result); });
        const out = { lists: await count('lists'), queue: await count('queue'), campaigns: await count('campaigns') };
        db.close();
        return out;
      });
    expect((await kept()).lists).toBeGreaterThan(0);

    await page.goto(`${server.url}/dashboard`);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-logout').click();
    const dialog = page.locator('.ant-modal-confirm');
    await expect.poll(() => dialog.locator('.ant-modal-confirm-title').textContent()).toBe('此设备上还有 1 条走访记录未上传');
    await shot(page, 'screening-logout-unsent-phone');
    await page.getByTestId('discard-and-logout').click();
    await page.waitForURL((u) => u.pathname.startsWith('/login'));
    expect(await kept()).toEqual({ lists: 0, queue: 0, campaigns: 0 });
    await page.context().close();
  });

  it('shows the street its coverage per grid on the map and in the table', async () => {
    const campaigns = (await send<{ items: Campaign[] }>(command, server.url, 'GET', '/api/screening/campaigns?status=active')).body;
    const demo = campaigns.items.find((c) => c.nodeCode === '340104008')!;
    expect(demo.gridCount).toBe(40);
    const page = await signedIn('command');
    const view = new CampaignPage(page, server.url);
    await view.open(demo.id);
    await expect.poll(() => view.mapPolygons(), { timeout: 20_000 }).toBe(40);
    await expect.poll(() => view.tableRows()).toBe(40);
    const totals = await page.locator('[data-testid="campaign-totals"]').textContent();
    expect(totals).toContain(String(demo.totals.visited));
    await shot(page, 'screening-progress-desktop');
    // A new campaign: the drawer with the questionnaire editor (standard items, custom ones).
    await page.goto(`${server.url}/screening`);
    await page.locator('[data-testid="campaign-table"]').waitFor();
    await page.locator('[data-testid="campaign-new"]').click();
    await page.locator('[data-testid="questionnaire-editor"]').waitFor();
    await page.locator('[data-testid="editor-add-custom"]').click();
    await shot(page, 'screening-new-campaign-desktop');
    await page.context().close();
    // The same list on a phone: cards, the way into the field app.
    const phone = await signedIn('grid', PHONE);
    await phone.goto(`${server.url}/screening`);
    await phone.locator('[data-testid="campaign-card"]').first().waitFor();
    await shot(phone, 'screening-list-phone');
    await phone.context().close();
  });
});
