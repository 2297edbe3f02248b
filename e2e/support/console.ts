import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { LoginPage } from '../page-models/login-page.js';
import { DESKTOP, newContext } from './browser.js';
import { ROOT } from './process.js';

/** The demo accounts' password (printed by `npm start`). */
export const DEMO_PASSWORD = 'Gridline@2026';

/** Builds the console as `npm start` does (only when its sources changed), before a browser test starts a server. */
export function buildWeb(): void {
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-web.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('web build failed');
}

/** A fresh browser context signed in through the login page, waiting on the page sign-in leads to. */
export async function signIn(browser: Browser, baseUrl: string, username: string, viewport = DESKTOP, password = DEMO_PASSWORD): Promise<Page> {
  const ctx = await newContext(browser, viewport);
  const page = await ctx.newPage();
  const login = new LoginPage(page, baseUrl);
  await login.open();
  await login.signIn(username, password);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}
