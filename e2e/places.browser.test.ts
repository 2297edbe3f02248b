import crypto from 'node:crypto';
import { encodePersonalCode } from '@gridline/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PersonalDataCipher } from '../packages/server/src/lib/personal-data.js';
import { CheckpointPage } from './page-models/checkpoint-page.js';
import { ConsolePage } from './page-models/console-page.js';
import { DevicesPage } from './page-models/devices-page.js';
import { PlaceScanPage } from './page-models/place-scan-page.js';
import { buildWeb, signIn } from './support/console.js';
import { browserAvailable, DESKTOP, launchBrowser, newContext, PHONE, shot } from './support/browser.js';
import { startServer, tempDir, type RunningServer } from './support/process.js';

/**
 * Places and checkpoints in a real browser: a forged and an expired personal code are refused at the
 * checkpoint page (a phone, as volunteers use it), a valid one passes; a visitor signs in at a place by
 * scanning its poster; the resident's own code in the portal; a gate device registered in the console, its batch's
 * rejected items read back there; the places console. Screenshots at 1440 and 375.
 */
const PASSWORD = 'Gridline@2026';
const DATA_KEY = crypto.randomBytes(32).toString('base64');
const canRun = browserAvailable();

/** The personal-code signing key exactly as the server derives it from the data key. */
function signingMac(): (data: Uint8Array) => Uint8Array {
  const key = Buffer.from(new PersonalDataCipher(Buffer.from(DATA_KEY, 'base64')).lookupHash('personal-code-key', 'v1'), 'base64url');
  return (data) => new Uint8Array(crypto.createHmac('sha256', key).update(data).digest());
}

describe.runIf(canRun)('places, place codes and checkpoints in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let place: { id: string; code: string; name: string };
  let residentId: string;
  const cookies = new Map<string, string>();

  async function api<T>(username: string, method: string, p: string, body?: unknown): Promise<T> {
    if (!cookies.has(username)) {
      const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
      cookies.set(username, (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '');
    }
    const res = await fetch(`${server.url}/api${p}`, { method, headers: { cookie: cookies.get(username)!, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  const signedIn = (username: string, viewport = DESKTOP): Promise<Page> => signIn(browser, server.url, username, viewport, PASSWORD);

  beforeAll(async () => {
    buildWeb();
    server = await startServer({ DATA_DIR: tempDir('places-browser'), DEMO_RESIDENTS: '1500', GRIDLINE_DATA_KEY: DATA_KEY });
    browser = await launchBrowser();
    // A gate of the volunteer's building, made a checkpoint by the street command.
    const volunteer = await api<{ nodeCode: string }>('volunteer', 'GET', '/auth/me');
    place = await api('command', 'POST', '/places', { kind: 'gate', name: '1栋单元门岗', address: '梅园路 1 号', regionCode: volunteer.nodeCode, checkpoint: true });
    residentId = (await api<{ id: string }>('resident', 'GET', '/me/resident')).id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('refuses a forged and an expired personal code at the checkpoint, and passes a valid one (phone)', async () => {
    const page = await signedIn('volunteer', PHONE);
    const checkpoint = new CheckpointPage(page, server.url);
    await checkpoint.open();
    await checkpoint.pick(place.name);

    // Forged: the layout of a real code, signed with a key that is not the server's.
    const forged = encodePersonalCode({ residentId, issuedAt: Date.now(), nonce: crypto.randomBytes(8) }, (d) => new Uint8Array(crypto.createHmac('sha256', 'a guessed key').update(d).digest()));
    const f = await checkpoint.verify(forged, '36.5');
    expect(f).toMatchObject({ result: 'refused', word: '通行码无效', person: '' });
    expect(f.reasons).toContain('签名不符，可能是伪造或被篡改的通行码');
    await shot(page, 'checkpoint-forged-phone');
    await checkpoint.next();

    // Expired: signed by the server's own key, issued two minutes ago (the lifetime is 60 seconds).
    const expired = encodePersonalCode({ residentId, issuedAt: Date.now() - 120_000, nonce: crypto.randomBytes(8) }, signingMac());
    const e = await checkpoint.verify(expired, '36.6');
    expect(e).toMatchObject({ result: 'refused', word: '通行码无效' });
    expect(e.reasons).toContain('通行码已过期（有效期 60 秒）');
    await shot(page, 'checkpoint-expired-phone');
    await checkpoint.next();

    // The resident's real code, fresh from the portal: passes once; shown again it is a replay.
    const fresh = (await api<{ code: string }>('resident', 'POST', '/me/personal-code', {})).code;
    const ok = await checkpoint.verify(fresh, '36.4');
    expect(ok.result).toBe('pass');
    expect(ok.word).toBe('准予通行');
    expect(ok.person).toMatch(/^.\*+$/);
    await shot(page, 'checkpoint-pass-phone');
    await checkpoint.next();
    const replay = await checkpoint.verify(fresh, '36.4');
    expect(replay.reasons).toContain('已在本卡口使用过');
    // No horizontal scrolling on a 375 px phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    const recorded = await api<{ items: { result: string; reasons: { code: string }[] }[] }>('volunteer', 'GET', `/checkpoints/${place.id}/decisions`);
    expect(recorded.items.map((d) => [d.result, d.reasons[0]?.code ?? null])).toEqual([
      ['refused', 'code_replayed'], ['pass', null], ['refused', 'code_expired'], ['refused', 'code_forged'],
    ]);
    await page.context().close();
  });

  it('lets a visitor sign in at a place by name and phone after scanning its poster (phone and desktop)', async () => {
    for (const [viewport, name, phone] of [[PHONE, '周 访客', '13912345678'], [DESKTOP, '吴来访', '13687654321']] as const) {
      const ctx = await newContext(browser, viewport);
      const page = await ctx.newPage();
      const scan = new PlaceScanPage(page, server.url);
      await scan.open(place.code);
      expect(await scan.placeName()).toBe(place.name);
      await shot(page, `place-scan-${viewport === PHONE ? 'phone' : 'desktop'}`);
      // A wrong phone number is caught before anything is sent.
      await scan.field('scan-name').fill(name);
      await scan.field('scan-phone').fill('12345');
      await scan.byTestId('scan-submit').click();
      await page.locator('.ant-form-item-explain-error', { hasText: '手机号应为 11 位数字' }).waitFor();
      const detail = await scan.signInAsVisitor(name, phone);
      expect(detail).toContain(place.name);
      expect(detail).toContain(`${name[0]}*`);
      await shot(page, `place-scan-done-${viewport === PHONE ? 'phone' : 'desktop'}`);
      await ctx.close();
    }
    const scans = await api<{ items: { personKind: string; phoneMasked: string }[] }>('command', 'GET', `/places/${place.id}/scans`);
    expect(scans.items.filter((s) => s.personKind === 'visitor').map((s) => s.phoneMasked).sort()).toEqual(['136****4321', '139****5678']);
    const unknown = await (await newContext(browser, PHONE)).newPage();
    await new PlaceScanPage(unknown, server.url).open('AAAAAAAAAAAAAAAA');
    await unknown.locator('[data-testid="scan-not-found"]').waitFor();
    await unknown.context().close();
  });

  it('records a signed-in resident with one tap, and shows the resident a renewing personal code', async () => {
    const page = await signedIn('resident', PHONE);
    await page.goto(`${server.url}/p/${place.code}`);
    await page.locator('[data-testid="scan-i-am-here"]').click();
    await page.locator('[data-testid="scan-done"]').waitFor();
    await page.goto(`${server.url}/portal/code`);
    const qr = page.locator('[data-testid="passcode-qr"]');
    await qr.waitFor();
    expect(await qr.getAttribute('data-code')).toMatch(/^GL1\./);
    expect(await page.locator('[data-testid="passcode-countdown"]').textContent()).toMatch(/\d+ 秒后自动刷新/);
    await shot(page, 'portal-passcode-phone');
    const before = await qr.getAttribute('data-code');
    await page.locator('[data-testid="passcode-refresh"]').click();
    await expect.poll(async () => qr.getAttribute('data-code')).not.toBe(before);
    await page.context().close();
  });

  it('registers a gate device whose token is shown once; its batch shows as accepted and rejected items with reasons', async () => {
    const page = await signedIn('command');
    const devices = new DevicesPage(page, server.url);
    await devices.open();
    const token = await devices.register('东门闸机 1 号', place.name);
    expect(token).toMatch(/^\S{20,}$/);
    // The device id an MQTT topic needs is shown beside the token.
    const shownId = (await page.locator('[data-testid="device-id-value"]').textContent())?.trim();
    const listed = await api<{ id: string; name: string }[]>('command', 'GET', '/devices');
    expect(shownId).toBe(listed.find((d) => d.name === '东门闸机 1 号')?.id);
    await shot(page, 'devices-token-1440');
    await devices.closeToken();

    // The gate posts a batch: a scan and a reading are stored; a wrong kind and a reading without a temperature are
    // refused item by item, with the reason the operator reads in the console.
    const now = Date.now();
    const res = await fetch(`${server.url}/api/devices/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items: [
        { key: 'e2e-1', kind: 'scan', residentId, at: now - 3000 },
        { key: 'e2e-2', kind: 'temperature', residentId, at: now - 2000, temperature: 36.7 },
        { key: 'e2e-3', kind: 'door', residentId, at: now - 1000 },
        { key: 'e2e-4', kind: 'temperature', residentId, at: now },
      ] }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 2, duplicates: 0, rejected: 2 });

    await page.reload();
    await devices.row('东门闸机 1 号').waitFor();
    const cells = (await devices.cells('东门闸机 1 号')).join('|');
    expect(cells).toContain(place.name);
    expect(cells).toContain(`…${token.slice(-4)}`);
    expect(cells).toMatch(/\|2\|2\|/);
    expect(await devices.row('东门闸机 1 号').locator('[data-testid="device-id"]').textContent()).toContain(shownId!.slice(-8));
    const rejected = await devices.rejections('东门闸机 1 号');
    expect(rejected.map((r) => r.key).sort()).toEqual(['e2e-3', 'e2e-4']);
    expect(rejected.find((r) => r.key === 'e2e-3')!.reason).toBe('类型 kind 应为 scan（扫码）或 temperature（测温）');
    expect(rejected.find((r) => r.key === 'e2e-4')!.reason).toBe('测温条目缺少体温 temperature');
    await shot(page, 'devices-rejections-1440');
    await page.context().close();

    // On a phone each device is a card with its counters and actions in view; the rejected items fill the screen.
    const phone = await signedIn('command', PHONE);
    const small = new DevicesPage(phone, server.url);
    await small.open();
    await small.row('东门闸机 1 号').waitFor();
    expect(await small.row('东门闸机 1 号').locator('[data-testid="device-counts"]').textContent()).toBe('已接收 2 · 已拒收 2');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'devices-375');
    expect((await small.rejections('东门闸机 1 号')).map((r) => r.key).sort()).toEqual(['e2e-3', 'e2e-4']);
    await shot(phone, 'devices-rejections-375');
    await phone.context().close();
  });

  it('shows the places console with the poster downloads and scans (desktop), and only to those allowed', async () => {
    const page = await signedIn('head');
    await new ConsolePage(page, server.url).openModule('places');
    await page.locator('[data-testid="places-table"] tbody tr', { hasText: place.name }).waitFor();
    await shot(page, 'places-desktop');
    const row = page.locator('[data-testid="places-table"] tbody tr', { hasText: place.name });
    await row.locator('[data-testid="place-scans-open"]').click();
    await expect.poll(async () => page.locator('[data-testid="place-scans"] tbody tr').count()).toBeGreaterThanOrEqual(3);
    await shot(page, 'place-scans-desktop');
    await page.keyboard.press('Escape');
    await row.locator('[data-testid="place-poster"]').hover();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="poster-png"]').click()]);
    expect(download.suggestedFilename()).toBe(`场所码-${place.name}.png`);
    await page.context().close();

    const phone = await signedIn('volunteer', PHONE);
    const keys = await new ConsolePage(phone, server.url).menuKeys();
    expect(keys).toContain('checkpoint');
    expect(keys).not.toContain('places');
    await phone.context().close();
  });
});
