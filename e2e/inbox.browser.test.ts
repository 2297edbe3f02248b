import { describe, expect, it } from 'vitest';
import { InboxPage, PortalRequestsPage } from './page-models/inbox-page.js';
import { useDemoConsole } from './support/console.js';
import { browserAvailable, PHONE, shot } from './support/browser.js';

/**
 * The one inbox in a real browser: a resident sends "我要反映" from the portal on a phone; the community worker sees it
 * in the inbox (the bell counts it), classifies it and routes it as a whistle; a 12345 CSV with a broken row is
 * imported through the page, the bad row reported in Chinese with its row number while the good ones appear.
 * Screenshots at 1440 and 375 px land in e2e/artifacts/.
 */
const canRun = browserAvailable();
const REQUEST = '单元楼道的声控灯坏了三天，晚上老人上下楼看不清，请尽快修理';

describe.runIf(canRun)('the inbox in Chromium', () => {
  const demo = useDemoConsole('inbox');
  const { signedIn } = demo;

  it('takes a resident request from the portal to a routed whistle', async () => {
    const phone = await signedIn('resident', PHONE);
    const portal = new PortalRequestsPage(phone, demo.server.url);
    await portal.openFromTab();
    await shot(phone, 'inbox-portal-form-375');
    await portal.submit(REQUEST);
    const mine = phone.locator('[data-testid="my-requests-list"] .ant-list-item', { hasText: '声控灯' }).first();
    expect(await mine.textContent()).toContain('处理中');
    await shot(phone, 'inbox-portal-sent-375');
    await phone.context().close();

    const desk = await signedIn('worker');
    // The bell counts the new request (the demo's own items were announced too).
    const count = desk.locator('[data-testid="notification-count"] .ant-badge-count');
    await count.waitFor();
    expect(Number(await count.getAttribute('title'))).toBeGreaterThan(0);
    const inbox = new InboxPage(desk, demo.server.url);
    await inbox.open();
    await inbox.card('声控灯').waitFor();
    expect(await inbox.card('声控灯').textContent()).toContain('居民端');
    await shot(desk, 'inbox-list-1440');
    await inbox.openItem('声控灯');
    expect(await inbox.byTestId('inbox-item-status').textContent()).toBe('待处理');
    await inbox.classify('房屋安全');
    const no = await inbox.route();
    expect(no).toMatch(/CS\d{8}-\d{4}/);
    expect(await inbox.byTestId('inbox-item-status').textContent()).toBe('已派发');
    await shot(desk, 'inbox-routed-1440');
    await desk.context().close();

    // The resident sees it passed to a department.
    const again = await signedIn('resident', PHONE);
    const portal2 = new PortalRequestsPage(again, demo.server.url);
    await portal2.openFromTab();
    const item = again.locator('[data-testid="my-requests-list"] .ant-list-item', { hasText: '声控灯' }).first();
    await item.waitFor();
    expect(await item.textContent()).toContain('已转部门办理');
    await again.context().close();
  });

  it('imports a 12345 CSV through the page, reporting the bad row in Chinese and keeping the good ones', async () => {
    const csv = [
      '工单编号,受理时间,诉求人,联系电话,地址,诉求内容,诉求类型,办理时限',
      'E2E-001,2026-11-29 08:10,刘一,13500001111,,梅园小区北门井盖缺失，夜里有人踩空,投诉,2026-11-30 08:10',
      'E2E-002,昨天下午,陈二,13500002222,,反映楼下商户噪音扰民,投诉,',
      'E2E-003,2026-11-29 09:30,周三,13500003333,,小区东门附近有人兜售过期食品,举报,',
    ].join('\r\n');
    const desk = await signedIn('worker');
    const inbox = new InboxPage(desk, demo.server.url);
    await inbox.open('?tab=import');
    await inbox.importFile('12345工单.csv', Buffer.from(csv, 'utf8'));
    expect(await inbox.byTestId('hotline-summary').textContent()).toContain('新增 2 条');
    const errors = await inbox.byTestId('hotline-errors').textContent();
    expect(errors).toContain('第 3 行「受理时间」无法识别的时间：昨天下午');
    await shot(desk, 'inbox-import-1440');
    await inbox.open('?status=all&channel=hotline');
    await inbox.card('井盖缺失').waitFor();
    await inbox.card('过期食品').waitFor();
    expect(await desk.locator('[data-testid="inbox-item"]', { hasText: '噪音扰民' }).count()).toBe(0);
    await desk.context().close();

    const phone = await signedIn('worker', PHONE);
    const onPhone = new InboxPage(phone, demo.server.url);
    await onPhone.open('?tab=import');
    await onPhone.importFile('12345工单.csv', Buffer.from(csv, 'utf8'));
    expect(await onPhone.byTestId('hotline-summary').textContent()).toContain('重复 2 条');
    await shot(phone, 'inbox-import-375');
    await onPhone.open('?status=all');
    await shot(phone, 'inbox-list-375');
    await onPhone.openItem('声控灯');
    expect(await onPhone.byTestId('inbox-item-status').textContent()).toBe('已派发');
    await shot(phone, 'inbox-item-375');
    await phone.context().close();
  });
  it('sends a direct report to the command, which reads it, and shows the sender the receipt', async () => {
    const phone = await signedIn('grid', PHONE);
    await phone.goto(`${demo.server.url}/reports?tab=send`);
    await phone.locator('[data-testid="report-title"]').fill('网格内独居老人断药');
    await phone.locator('[data-testid="report-body"]').fill('3栋 2 位独居老人降压药只剩一天，社区药房缺货，请协调。');
    await phone.locator('[data-testid="report-send"]').click();
    await phone.locator('.ant-modal-confirm .ant-btn-primary').click();
    await phone.locator('[data-testid="report-sent"]').waitFor({ timeout: 15_000 });
    await shot(phone, 'reports-sent-375');

    const desk = await signedIn('command');
    await desk.goto(`${demo.server.url}/reports`);
    const card = desk.locator('[data-testid="report-card"]', { hasText: '独居老人断药' }).first();
    await card.waitFor();
    expect(await card.textContent()).toContain('3栋 2 位独居老人降压药只剩一天');
    await card.locator('[data-testid="report-mark-read"]').click();
    await card.locator('[data-testid="report-read"]').waitFor();
    await shot(desk, 'reports-received-1440');
    await desk.goto(`${demo.server.url}/notifications`);
    await desk.locator('[data-testid="notifications-list"]').waitFor();
    await shot(desk, 'notifications-1440');
    const markAll = desk.locator('[data-testid="notifications-mark-all"]');
    expect(await markAll.isEnabled()).toBe(true);
    await markAll.click();
    await desk.locator('[data-testid="notification-count"] .ant-badge-count').waitFor({ state: 'detached' });
    await desk.context().close();

    await phone.goto(`${demo.server.url}/reports?tab=sent`);
    const mine = phone.locator('[data-testid="report-card"]', { hasText: '独居老人断药' }).first();
    await mine.locator('[data-testid="report-read"]').waitFor();
    expect(await mine.locator('[data-testid="report-read"]').textContent()).toContain('街道指挥部 值班员');
    await shot(phone, 'reports-receipt-375');
    await phone.context().close();
  });
});
