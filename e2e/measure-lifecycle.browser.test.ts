import { addDays, shanghaiDay } from '@gridline/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, useDemoConsole } from './support/console.js';
import { browserAvailable, PHONE, shot } from './support/browser.js';
import { ApiClient } from './support/process.js';

/**
 * The life of an isolation order in a real browser: two home isolations whose last day is today; the resident of
 * one reports the day-5 test negative. A community worker opens 待解除, sees one whose conditions hold and one
 * missing its day-5 test (需延长), releases the first, generates its release certificate and records that it was
 * posted; the drawer shows the deliveries (the portal's own view first). Screenshots at 1440 and 375 px.
 */
const canRun = browserAvailable();

async function send<T>(api: ApiClient, base: string, method: 'POST' | 'PUT', p: string, body: object): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${p}`, { method, headers: { cookie: api.cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

describe.runIf(canRun)('release proposals and delivery records in Chromium', () => {
  const demo = useDemoConsole('measure-lifecycle');
  const { signedIn } = demo;
  let otherName = '';
  let measureId = '';

  beforeAll(async () => {
    const resident = new ApiClient(demo.server.url);
    expect(await resident.login('resident', DEMO_PASSWORD)).toBe(200);
    const me = (await resident.get<{ id: string; name: string }>('/api/me/resident')).body;
    const worker = new ApiClient(demo.server.url);
    expect(await worker.login('worker', DEMO_PASSWORD)).toBe(200);
    const others = (await worker.get<{ items: { id: string; name: string }[] }>('/api/residents?pageSize=20')).body.items.filter((r) => r.id !== me.id && r.name !== me.name);
    otherName = others[0]!.name;
    // Five days at home from four days ago: today is the last day, the release is due today.
    const firstDay = addDays(shanghaiDay(Date.now()), -4);
    const body = (residentId: string) => ({ residentId, measure: 'home_isolation', subject: { kind: 'close_contact' }, firstDay, days: 5, place: { kind: 'home', name: '家中' } });
    const mine = await send<{ id: string; status: string }>(worker, demo.server.url, 'POST', '/api/measures', body(me.id));
    expect(mine.body.status).toBe('active');
    measureId = mine.body.id;
    expect((await send(worker, demo.server.url, 'POST', '/api/measures', body(others[0]!.id))).status).toBe(201);
    // The resident opens the notice in the portal (门户查看) and reports today's test, negative.
    expect((await send(resident, demo.server.url, 'POST', '/api/me/measures/viewed', { measureIds: [measureId] })).body).toEqual({ recorded: 1, already: 0 });
    const reported = await send(resident, demo.server.url, 'PUT', '/api/me/health', { temperatureC: 36.4, symptoms: [], test: { sampledAt: Date.now() - 60_000, result: 'negative' } });
    expect(reported.status).toBe(200);
  });

  it('a worker sees the due release, releases it, generates the certificate and records that it was posted', async () => {
    const desk = await signedIn('worker');
    await desk.goto(`${demo.server.url}/measures?tab=releases`);
    const table = desk.getByTestId('releases-table');
    await table.waitFor();
    const mine = table.locator('tr', { hasText: demo.residentName });
    const other = table.locator('tr', { hasText: otherName });
    await expect.poll(() => mine.getByTestId('release-verdict').textContent(), { timeout: 15_000 }).toBe('条件满足');
    expect(await other.getByTestId('release-verdict').textContent()).toBe('不满足：缺第5天核酸');
    expect(await other.getByTestId('release-extend').textContent()).toBe('需延长（须审批）');
    await shot(desk, 'measure-lifecycle-releases-1440');

    await mine.locator('input[type="checkbox"]').check();
    await desk.getByTestId('releases-release').click();
    await desk.getByTestId('releases-done').waitFor();
    expect(await desk.getByTestId('releases-done').textContent()).toContain('已解除 1 人');
    await desk.getByTestId('releases-certificates').click();
    await expect.poll(() => desk.getByTestId('job-progress').getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    expect(await desk.getByTestId('job-progress').textContent()).toContain('已生成解除证明 1 份');

    await desk.getByTestId('releases-deliver').click();
    const modal = desk.getByTestId('delivery-modal');
    await modal.waitFor();
    await modal.getByText('张贴', { exact: true }).click();
    await modal.getByTestId('delivery-note').fill('张贴于单元门口');
    await shot(desk, 'measure-lifecycle-delivery-1440');
    await desk.getByTestId('delivery-save').click();
    await desk.getByText('已记录 1 份').waitFor();

    // The drawer shows how each document reached the person.
    await desk.goto(`${demo.server.url}/measures?measure=${measureId}`);
    const drawer = desk.getByTestId('measure-drawer');
    await expect.poll(() => drawer.getByTestId('measure-status').textContent(), { timeout: 15_000 }).toBe('已解除');
    await expect.poll(() => drawer.getByTestId('delivery-row').count(), { timeout: 15_000 }).toBe(2);
    const rows = await drawer.getByTestId('delivery-row').allTextContents();
    expect(rows[0]).toContain('告知书门户查看');
    expect(rows[1]).toContain('解除证明张贴');
    expect(rows[1]).toContain('张贴于单元门口');
    await shot(desk, 'measure-lifecycle-drawer-1440');
    await desk.context().close();

    // On a phone: the remaining due measure as a card, with the way to its extension.
    const phone = await signedIn('worker', PHONE);
    await phone.goto(`${demo.server.url}/measures?tab=releases`);
    const card = phone.getByTestId('release-card').filter({ hasText: otherName });
    await card.waitFor();
    expect(await card.textContent()).toContain('需延长（须审批）');
    expect(await phone.getByTestId('release-card').filter({ hasText: demo.residentName }).count()).toBe(0);
    await shot(phone, 'measure-lifecycle-releases-375');
    await phone.context().close();
  });
});
