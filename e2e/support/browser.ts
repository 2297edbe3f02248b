import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './process.js';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'e2e/artifacts');

/**
 * Whether browser tests can run here. Under CI=true a missing Chromium is a failure, not a skip;
 * elsewhere the suite prints one line and skips the browser tests.
 */
export function browserAvailable(): boolean {
  const ok = fs.existsSync(CHROMIUM);
  if (!ok && process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}; CI requires the browser tests (install Debian's chromium and fonts-noto-cjk)`);
  if (!ok) console.log(`Chromium not found at ${CHROMIUM}: browser tests skipped (apt-get install chromium fonts-noto-cjk to run them).`);
  return ok;
}

/** Playwright gives every non-persistent launch a fresh, empty profile of its own. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A browser viewport in CSS pixels. */
export interface Viewport { width: number; height: number }

export const DESKTOP: Viewport = { width: 1440, height: 900 };
export const PHONE = { width: 375, height: 812 };

export async function newContext(browser: Browser, viewport = DESKTOP, locale = 'zh-CN'): Promise<BrowserContext> {
  return browser.newContext({ viewport, locale, timezoneId: 'Asia/Shanghai', acceptDownloads: true, deviceScaleFactor: 1 });
}

/** Screenshots kept as test artifacts (e2e/artifacts/<name>.png). */
export async function shot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // Let drawers and progress bars finish their transitions: the picture should show what a person sees.
  await page.waitForTimeout(500);
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
