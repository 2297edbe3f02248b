/* global self, caches */
// Gridline's service worker (hand-written): keeps the built app shell — index.html and the hashed bundles —
// so that the console, and the grid worker's visit form above all, opens without a network. API data never
// passes through here: the field pages keep their own copy in IndexedDB and queue visits there.
const SHELL_CACHE = 'gridline-shell-v1';
const SHELL = ['/', '/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png', '/icons/icon-maskable-512.png'];
// Old bundles of earlier builds are dropped oldest first beyond this many entries.
const MAX_ENTRIES = 300;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll(SHELL);
      // The bundles index.html names (entry, styles, preloads); pages loaded lazily join as they are fetched.
      const page = await cache.match('/');
      const html = page ? await page.text() : '';
      const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
      await cache.addAll([...new Set(assets)]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('gridline-shell-') && key !== SHELL_CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/metrics') return;
  if (req.mode === 'navigate') event.respondWith(page(req));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(bundle(req));
  else if (SHELL.includes(url.pathname)) event.respondWith(bundle(req, true));
});

/** Pages: the network's fresh index.html when there is one (kept as the shell), else the kept shell. */
async function page(req) {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const res = await fetch(req);
    if (res.ok && (res.headers.get('content-type') || '').includes('text/html')) await cache.put('/', res.clone());
    return res;
  } catch {
    return (await cache.match('/')) || Response.error();
  }
}

/** Hashed bundles never change: the kept copy first, else fetched and kept. Shell files are refreshed behind. */
async function bundle(req, refresh = false) {
  const cache = await caches.open(SHELL_CACHE);
  const kept = await cache.match(req);
  if (kept && !refresh) return kept;
  const fetched = fetch(req)
    .then(async (res) => {
      if (res.ok) {
        await cache.put(req, res.clone());
        await trim(cache);
      }
      return res;
    })
    .catch(() => undefined);
  if (kept) return kept;
  return (await fetched) || Response.error();
}

async function trim(cache) {
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) {
    if (!SHELL.includes(new URL(key.url).pathname)) await cache.delete(key);
  }
}
