import { describe, expect, it } from 'vitest';
import { PortalHealthPage, TasksPage } from './page-models/health-page.js';
import { DEMO_PASSWORD, useDemoConsole } from './support/console.js';
import { browserAvailable, PHONE, shot } from './support/browser.js';
import { ApiClient } from './support/process.js';

/**
 * Health monitoring in a real browser: the demo resident reports a fever in the portal on a phone, and the grid
 * worker's "my tasks" shows the follow-up task for that resident at once (live), on a desktop and on a phone;
 * the worker takes it up and closes it. Screenshots at 1440 and 375 px land in e2e/artifacts/.
 */
const canRun = browserAvailable();

describe.runIf(canRun)('health reports and follow-up tasks in Chromium', () => {
  const demo = useDemoConsole('health');
  const { signedIn } = demo;

  it('turns a fever the resident reports in the portal into a follow-up task the grid worker sees', async () => {
    // The grid worker has "my tasks" open before anything happens: nothing for this resident yet.
    const gridPage = await signedIn('grid');
    const tasks = new TasksPage(gridPage, demo.server.url);
    await tasks.open();
    expect(await tasks.card(demo.residentName).count()).toBe(0);
    const openBefore = await tasks.count('open');
    await gridPage.waitForTimeout(500); // the live stream is open

    // The resident, on a phone: a few taps — 38.5 ℃, a cough — and submit.
    const phone = await signedIn('resident', PHONE);
    const portal = new PortalHealthPage(phone, demo.server.url);
    await portal.openFromTab();
    expect(await portal.temperature()).toBe('36.5');
    await portal.setTemperature(38.5);
    await portal.stepTemperature('up', 1);
    expect(await portal.temperature()).toBe('38.6');
    await portal.byTestId('temperature-fever').waitFor();
    await portal.toggleSymptom('cough');
    await shot(phone, 'health-portal-form-375');
    await portal.submit();
    expect(await portal.resultText()).toContain('体温或症状异常');
    expect(await portal.resultText()).toContain('38.6');
    await portal.byTestId('my-health-abnormal').waitFor();
    await shot(phone, 'health-portal-fever-375');

    // The same screen on a desktop.
    const desk = await signedIn('resident');
    await new PortalHealthPage(desk, demo.server.url).open();
    await desk.locator('[data-testid="my-health-done"]').waitFor();
    await shot(desk, 'health-portal-fever-1440');
    await desk.context().close();

    // The follow-up task appears on the grid worker's screen without a reload.
    const card = tasks.card(demo.residentName);
    await card.waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain('健康异常随访');
    expect(await tasks.count('open')).toBe(openBefore + 1);
    await shot(gridPage, 'health-task-1440');
    await tasks.openTask(demo.residentName);
    expect(await tasks.byTestId('task-detail').textContent()).toContain('体温 38.6℃ ≥ 37.3℃');
    await shot(gridPage, 'health-task-drawer-1440');
    await gridPage.context().close();

    // On the grid worker's phone: take it up, then close it with a note.
    const gridPhone = await signedIn('grid', PHONE);
    const phoneTasks = new TasksPage(gridPhone, demo.server.url);
    await phoneTasks.open();
    await phoneTasks.card(demo.residentName).waitFor();
    await shot(gridPhone, 'health-task-375');
    await phoneTasks.openTask(demo.residentName);
    await phoneTasks.byTestId('task-start').click();
    await gridPhone.locator('[data-testid="task-drawer"] [data-testid="task-finish"]').waitFor();
    await shot(gridPhone, 'health-task-drawer-375');
    await phoneTasks.byTestId('task-finish').click();
    await phoneTasks.field('task-note').fill('已电话随访，建议就近发热门诊就医');
    await phoneTasks.byTestId('task-confirm').click();
    await gridPhone.locator('[data-testid="task-drawer"] [data-testid="task-status"], [data-testid="task-drawer"] .ant-tag', { hasText: '已完成' }).first().waitFor();
    await gridPhone.context().close();
    await phone.context().close();
  });

  it('shows the abnormal report on the health dashboard and flags the resident in the register', async () => {
    // The first follow-up was closed; a fever reported again today raises a new one, and the register flags it.
    const resident = new ApiClient(demo.server.url);
    expect(await resident.login('resident', DEMO_PASSWORD)).toBe(200);
    const again = await fetch(`${demo.server.url}/api/me/health`, {
      method: 'PUT', headers: { cookie: resident.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ temperatureC: 38.6, symptoms: ['cough'] }),
    });
    expect(((await again.json()) as { followUpTaskId: string | null }).followUpTaskId).toBeTruthy();
    const page = await signedIn('grid');
    await page.goto(`${demo.server.url}/health`);
    const item = page.locator('[data-testid="health-abnormal-item"]', { hasText: demo.residentName }).first();
    await item.waitFor();
    expect(await item.textContent()).toContain('38.6');
    await shot(page, 'health-dashboard-1440');
    await page.goto(`${demo.server.url}/residents?q=${encodeURIComponent(demo.residentName)}`);
    const row = page.locator('[data-testid="residents-table"] tr', { hasText: demo.residentName }).first();
    await row.locator('[data-testid="health-flag-abnormal"]').waitFor();
    await shot(page, 'health-flag-residents-1440');
    await row.locator('[data-testid="resident-name"]').click();
    await page.locator('[data-testid="resident-health"]').waitFor();
    await shot(page, 'health-flag-drawer-1440');
    await page.context().close();

    const phone = await signedIn('grid', PHONE);
    await phone.goto(`${demo.server.url}/health`);
    await phone.locator('[data-testid="health-abnormal-item"]').first().waitFor();
    await shot(phone, 'health-dashboard-375');
    await phone.context().close();
  });

  it('lets the resident report an arrival and states what the protocol in force requires', async () => {
    const phone = await signedIn('resident', PHONE);
    await phone.locator('[data-testid="portal-tab-arrival"]').click();
    await phone.locator('[data-testid="my-arrival"]').waitFor();
    await phone.locator('[data-testid="arrival-origin"]').fill('某省某市某区');
    await phone.locator('[data-testid="arrival-risk"] label').first().click();
    const plan = phone.locator('[data-testid="arrival-plan-text"]').first();
    await plan.waitFor();
    expect(await plan.textContent()).toMatch(/^依据《.+》：/);
    await shot(phone, 'arrival-portal-form-375');
    await phone.locator('[data-testid="my-arrival-submit"]').click();
    await phone.locator('[data-testid="my-arrival-done"]').waitFor();
    await shot(phone, 'arrival-portal-done-375');
    await phone.context().close();

    const desk = await signedIn('grid');
    await desk.goto(`${demo.server.url}/arrivals`);
    await desk.locator('[data-testid="arrivals-table"]').waitFor();
    expect(await desk.locator('[data-testid="arrivals-table"]').textContent()).toContain(demo.residentName);
    await shot(desk, 'arrivals-1440');

    // A worker reports one for a registered resident: the protocol's levels and its consequence show before saving.
    await desk.locator('[data-testid="arrival-create"]').click();
    const form = desk.locator('[data-testid="arrival-form"]');
    await form.waitFor();
    await form.locator('[data-testid="resident-picker"]').click();
    await desk.keyboard.type(demo.residentName);
    await desk.locator('.ant-select-item-option', { hasText: demo.residentName }).first().click();
    await form.locator('[data-testid="arrival-origin"]').fill('某省某市');
    await form.locator('[data-testid="arrival-risk"] label').first().click();
    await form.locator('[data-testid="arrival-plan-text"]').waitFor();
    await shot(desk, 'arrival-form-1440');
    await desk.locator('[data-testid="arrival-submit"]').click();
    const drawer = desk.locator('[data-testid="arrival-drawer"]');
    await drawer.locator('[data-testid="arrival-plan-text"]').waitFor();
    expect(await drawer.textContent()).toContain('某省某市');
    await shot(desk, 'arrival-drawer-1440');
    await desk.context().close();
  });
});
