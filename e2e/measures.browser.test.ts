import { describe, expect, it } from 'vitest';
import { useDemoConsole } from './support/console.js';
import { browserAvailable, PHONE, shot } from './support/browser.js';

/**
 * Control measures in a real browser: a community worker imposes home isolation on a close contact (the form
 * shows what the protocol in force prescribes before saving, and asks for a reason and the street's approval
 * when the days go beyond it); the resident sees the notice in the portal on a phone and appeals; the street
 * official decides the appeal; the resident sees the outcome. Screenshots at 1440 and 375 px.
 */
const canRun = browserAvailable();

describe.runIf(canRun)('measures, notices and appeals in Chromium', () => {
  const demo = useDemoConsole('measures');
  const { signedIn } = demo;

  it('a worker imposes home isolation; the resident sees the notice and appeals; the street decides; the resident sees the outcome', async () => {
    const desk = await signedIn('worker');
    await desk.goto(`${demo.server.url}/measures`);
    await desk.getByTestId('measures-page').waitFor();
    await desk.getByTestId('measure-create').click();
    const form = desk.getByTestId('measure-form');
    await form.waitFor();
    await form.getByTestId('measure-resident').click();
    await desk.keyboard.type(demo.residentName);
    await desk.locator('.ant-select-item-option', { hasText: demo.residentName }).first().click();
    // 5 days at home for a close contact: what the new ten measures prescribe, approved by the community itself.
    const assessment = form.getByTestId('measure-assessment');
    await expect.poll(() => assessment.textContent(), { timeout: 15_000 }).toContain('符合防控方案');
    // 10 days goes beyond it: the form says so and who must approve.
    await form.locator('input[data-testid="measure-days"], [data-testid="measure-days"] input').fill('10');
    await expect.poll(() => assessment.textContent(), { timeout: 15_000 }).toContain('由街道审批');
    await shot(desk, 'measures-form-beyond-1440');
    await form.locator('input[data-testid="measure-days"], [data-testid="measure-days"] input').fill('5');
    await expect.poll(() => assessment.textContent(), { timeout: 15_000 }).toContain('符合防控方案');
    await desk.getByTestId('measure-submit').click();
    const drawer = desk.getByTestId('measure-drawer');
    await expect.poll(() => drawer.getByTestId('measure-status').textContent(), { timeout: 15_000 }).toBe('执行中');
    expect(await drawer.textContent()).toContain('第三十九条');
    await shot(desk, 'measures-drawer-1440');
    await desk.context().close();

    // The resident, on a phone: the banner on the portal's first page leads to the notice; an appeal.
    const phone = await signedIn('resident', PHONE);
    await phone.goto(`${demo.server.url}/portal`);
    await phone.getByTestId('measure-banner').waitFor();
    expect(await phone.getByTestId('measure-banner').textContent()).toContain('居家隔离医学观察');
    await shot(phone, 'measures-portal-banner-375');
    await phone.getByTestId('measure-banner-link').click();
    await phone.getByTestId('my-measure').first().waitFor();
    expect(await phone.getByTestId('my-measure').first().textContent()).toContain('传染病防治法');
    await phone.getByTestId('appeal-text').fill('我已连续两次核酸阴性，且未与病例接触，请求解除居家隔离');
    await phone.getByTestId('appeal-send').click();
    await phone.getByTestId('my-appeal').first().waitFor();
    expect(await phone.getByTestId('my-appeal').first().textContent()).toContain('处理中');
    await shot(phone, 'measures-portal-appeal-375');

    // The street official decides it.
    const street = await signedIn('command');
    await street.goto(`${demo.server.url}/measures?tab=appeals`);
    await street.getByTestId('appeal-card').first().waitFor();
    await shot(street, 'measures-appeals-1440');
    await street.getByTestId('appeal-decide').first().click();
    await street.getByTestId('appeal-outcome').click();
    await street.locator('.ant-select-item-option', { hasText: '撤销措施' }).click();
    await street.getByTestId('appeal-decision').fill('经核实未与病例接触，撤销居家隔离');
    await street.getByTestId('appeal-decide-ok').click();
    await expect.poll(() => street.getByTestId('appeal-card').first().textContent(), { timeout: 15_000 }).toContain('撤销措施');
    // The compliance view counts it: one appeal, revoked, in the resident's community.
    await street.goto(`${demo.server.url}/measures?tab=compliance`);
    await street.getByTestId('compliance').waitFor();
    expect(await street.getByTestId('compliance').textContent()).toContain('梅园社区');
    await shot(street, 'measures-compliance-1440');
    await street.context().close();

    // The resident sees the outcome, and the measure no longer in force.
    await phone.reload();
    await phone.getByTestId('my-appeal').first().waitFor();
    expect(await phone.getByTestId('my-appeal').first().textContent()).toContain('撤销措施');
    expect(await phone.getByTestId('my-appeal').first().textContent()).toContain('经核实未与病例接触');
    expect(await phone.getByTestId('my-measure').first().textContent()).toContain('已解除');
    await shot(phone, 'measures-portal-outcome-375');
    await phone.context().close();
  });
});
