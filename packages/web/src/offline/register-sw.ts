/**
 * The console as an installable app that opens without a network: the web app manifest, and a hand-written
 * service worker (public/sw.js) that keeps the built app shell — index.html and the hashed bundles — so the
 * grid worker's visit form opens offline. Data never goes through it: the field pages keep their own copy in
 * IndexedDB and queue visits there.
 */
export const SHELL_CACHE = 'gridline-shell-v1';

function addManifestLink(): void {
  if (document.querySelector('link[rel="manifest"]')) return;
  const link = document.createElement('link');
  link.rel = 'manifest';
  link.href = '/manifest.webmanifest';
  document.head.appendChild(link);
  const icon = document.createElement('link');
  icon.rel = 'apple-touch-icon';
  icon.href = '/icons/icon-192.png';
  document.head.appendChild(icon);
}

/**
 * Bundles this page already loaded (some before the worker took control) go into the shell cache too, so
 * that whatever the worker opened online — the field pages included — opens again offline.
 */
export async function cacheLoadedAssets(): Promise<void> {
  if (typeof caches === 'undefined') return;
  const urls = performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name))
    .filter((u) => u.origin === location.origin && u.pathname.startsWith('/assets/'))
    .map((u) => u.pathname);
  const cache = await caches.open(SHELL_CACHE);
  await Promise.all(
    [...new Set(urls)].map(async (url) => {
      if (!(await cache.match(url))) await cache.add(url).catch(() => undefined);
    }),
  );
}

export function registerServiceWorker(): void {
  // Development (Vite's dev server) has no built shell to keep.
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  addManifestLink();
  const register = () => {
    navigator.serviceWorker
      .register('/sw.js', { scope: '/' })
      .then(() => navigator.serviceWorker.ready)
      .then(() => cacheLoadedAssets())
      .catch(() => undefined);
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
