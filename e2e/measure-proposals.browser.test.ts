import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, useDemoConsole } from './support/console.js';
import { browserAvailable, PHONE, shot } from './support/browser.js';
import { ApiClient } from './support/process.js';

/**
 * 待采取措施 in a real browser: the tracer confirms close contacts of a case (through the API); a community worker
 * opens the tab, sees what the protocol at each exposure prescribes, selects all and imposes them, and sees each
 * result on its row; from a result the measure's drawer grants a dialysis exemption on the quick path, which shows
 * there. On a phone the same tab is a list of cards with 全选. Screenshots at 1440 and 375 px.
 */
const canRun = browserAvailable();

describe.runIf(canRun)('measures proposed from confirmed contacts in Chromium', () => {
  const demo = useDemoConsole('measure-proposals');
  const { signedIn } = demo;
  let tracer: ApiClient;
  let caseId: string;
  let pool: { id: string; name: string }[];

  const post = async <T>(client: ApiClient, p: string, body: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${demo.server.url}${p}`, { method: 'POST', headers: { cookie: client.cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as T };
  };
  /** Confirmed close contacts of the case: residents of the worker's community, or someone outside the register. */
  const confirmContacts = async (people: ({ residentId: string } | { name: string; phone: string })[]): Promise<string[]> => {
    const ids: string[] = [];
    for (const who of people) {
      const k = await post<{ id: string }>(tracer, `/api/tracing/cases/${caseId}/contacts`, { ...who, relation: '同事', exposureAt: Date.now() - 2 * 3_600_000 });
      expect(k.status, JSON.stringify(k.body)).toBe(201);
      ids.push(k.body.id);
    }
    expect((await post<{ updated: number }>(tracer, '/api/tracing/contacts/bulk', { ids, action: 'confirm' })).body.updated).toBe(ids.length);
    return ids;
  };

  beforeAll(async () => {
    const worker = new ApiClient(demo.server.url);
    expect(await worker.login('worker', DEMO_PASSWORD)).toBe(200);
    const community = (await worker.get<{ nodeCode: string }>('/api/auth/me')).body.nodeCode;
    tracer = new ApiClient(demo.server.url);
    expect(await tracer.login('tracer', DEMO_PASSWORD)).toBe(200);
    const cases = await tracer.get<{ items: { id: string; confirmedAt: number | null; classification: string }[] }>('/api/cases?status=open&pageSize=50');
    caseId = cases.body.items.find((c) => c.classification === 'confirmed' && c.confirmedAt !== null)!.id;
    // Residents of the worker's community with no measure yet (the demo may already have some under measures).
    const residents = await tracer.get<{ items: { id: string; name: string }[] }>(`/api/residents?node=${community}&pageSize=200`);
    const measured = await worker.get<{ items: { resident: { id: string } | null }[] }>('/api/measures?pageSize=200');
    const taken = new Set(measured.body.items.map((m) => m.resident?.id));
    pool = residents.body.items.filter((r) => !taken.has(r.id)).slice(40, 60);
  });

  it('a worker selects the proposals, imposes them, sees each result, and grants a dialysis exemption from the drawer', async () => {
    const mine = pool.slice(0, 3);
    await confirmContacts(mine.map((r) => ({ residentId: r.id })));
    const desk = await signedIn('worker');
    await desk.goto(`${demo.server.url}/measures?tab=proposals`);
    const table = desk.getByTestId('proposals-table');
    await table.waitFor();
    for (const r of mine) await table.locator('tr', { hasText: r.name }).waitFor();
    // New ten measures: 5 days at home for a close contact, counted from the exposure day.
    expect(await table.locator('tr', { hasText: mine[0]!.name }).textContent()).toContain('居家隔离医学观察 5 天');
    await shot(desk, 'measure-proposals-1440');

    await table.locator('.ant-table-thead .ant-checkbox').first().click();
    const impose = desk.getByTestId('proposals-impose');
    expect(await impose.textContent()).toMatch(/按方案实施（\d+）/);
    await impose.click();
    for (const r of mine) {
      await expect.poll(() => table.locator('tr', { hasText: r.name }).getByTestId('proposal-result').textContent(), { timeout: 20_000 }).toContain('已实施');
    }
    expect(await table.locator('tr', { hasText: mine[0]!.name }).getByTestId('proposal-result').textContent()).toContain('居家隔离医学观察 5 天');
    await shot(desk, 'measure-proposals-results-1440');

    // From a result to the measure's drawer: a dialysis exemption on the quick path shows there at once.
    await table.locator('tr', { hasText: mine[0]!.name }).getByRole('button', { name: '查看' }).click();
    const drawer = desk.getByTestId('measure-drawer');
    await expect.poll(() => drawer.getByTestId('measure-status').textContent(), { timeout: 15_000 }).toBe('执行中');
    await drawer.getByTestId('measure-quick-exemption').click();
    const form = desk.getByTestId('exemption-form');
    await form.waitFor();
    expect(await form.getByTestId('ef-category').textContent()).toContain('血液透析');
    await form.getByTestId('ef-reason').fill('每周一三五 8:00 市一院透析，家属陪同');
    await desk.locator('.ant-modal-footer .ant-btn-primary', { hasText: '办理豁免' }).click();
    await expect.poll(() => drawer.getByTestId('measure-exemptions').textContent(), { timeout: 15_000 }).toContain('豁免：血液透析，每周一三五 8:00 市一院透析，家属陪同');
    await shot(desk, 'measure-proposals-drawer-exemption-1440');
    await desk.context().close();
  });

  it('on a phone: cards with 全选, the non-resident marked for handing over, results on each card', async () => {
    const more = pool.slice(3, 5);
    await confirmContacts([...more.map((r) => ({ residentId: r.id })), { name: '外地务工人员', phone: '13712345678' }]);
    const phone = await signedIn('worker', PHONE);
    await phone.goto(`${demo.server.url}/measures?tab=proposals`);
    const cards = phone.getByTestId('proposals-cards');
    await cards.waitFor();
    for (const r of more) await cards.getByTestId('proposal-card').filter({ hasText: r.name }).waitFor();
    const visitor = cards.getByTestId('proposal-card').filter({ hasText: '外地务工人员' }).first();
    expect(await visitor.textContent()).toContain('非本辖区登记居民，需转交');
    await shot(phone, 'measure-proposals-375');
    await phone.getByTestId('proposals-select-all').click();
    await phone.getByTestId('proposals-impose').click();
    for (const r of more) {
      await expect.poll(() => cards.getByTestId('proposal-card').filter({ hasText: r.name }).getByTestId('proposal-result').textContent(), { timeout: 20_000 }).toContain('已实施');
    }
    await shot(phone, 'measure-proposals-results-375');
    await phone.context().close();
  });

  it('the case’s tracing page leads the street command to the tab, filtered to that case', async () => {
    const desk = await signedIn('command');
    await desk.goto(`${demo.server.url}/tracing/cases/${caseId}`);
    await desk.getByTestId('case-impose-measures').click();
    await desk.getByTestId('proposals-case-filter').waitFor();
    expect(new URL(desk.url()).searchParams.get('case')).toBe(caseId);
    expect(await desk.getByTestId('proposals-tab').textContent()).toContain('仅本病例的密接');
    await desk.context().close();
  });
});
