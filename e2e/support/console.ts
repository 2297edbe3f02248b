import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { LoginPage } from '../page-models/login-page.js';
import { DESKTOP, launchBrowser, newContext, type Viewport } from './browser.js';
import { ApiClient, ROOT, startServer, tempDir, type RunningServer } from './process.js';

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

/** A demo server and a browser for one browser-test file, with the demo resident's name and a signed-in helper. */
export interface DemoConsole {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** The demo `resident` account's own name (as the console lists them). */
  readonly residentName: string;
  signedIn(username: string, viewport?: Viewport): Promise<Page>;
}

/**
 * Registers the file's beforeAll/afterAll: builds the console, starts a server on a fresh demo street (3,000
 * residents) in its own data folder, launches Chromium and reads the demo resident's name; stops both after.
 */
export function useDemoConsole(name: string): DemoConsole {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let residentName = '';
  beforeAll(async () => {
    buildWeb();
    server = await startServer({ DATA_DIR: tempDir(name), DEMO_RESIDENTS: '3000' });
    browser = await launchBrowser();
    const api = new ApiClient(server.url);
    if ((await api.login('resident', DEMO_PASSWORD)) !== 200) throw new Error('the demo resident cannot sign in');
    residentName = (await api.get<{ name: string }>('/api/me/resident')).body.name;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  const ready = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error('useDemoConsole: used before its beforeAll ran');
    return x;
  };
  return {
    get server() {
      return ready(server);
    },
    get browser() {
      return ready(browser);
    },
    get residentName() {
      return residentName;
    },
    signedIn: (username, viewport = DESKTOP) => signIn(ready(browser), ready(server).url, username, viewport),
  };
}
