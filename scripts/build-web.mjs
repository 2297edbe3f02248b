// Builds the web console when packages/web/dist is missing or older than its sources (web or shared).
// Used by `npm start` and by the browser tests; `node scripts/build-web.mjs --force` always builds.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'packages/web');
const built = path.join(web, 'dist/index.html');

function newestMtime(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((e) => newestMtime(path.join(p, e))));
}

export function buildWebIfStale(force = false) {
  const inputs = [path.join(web, 'src'), path.join(web, 'public'), path.join(web, 'index.html'), path.join(web, 'vite.config.ts'), path.join(root, 'packages/shared/src')].filter((p) => fs.existsSync(p));
  const stale = force || !fs.existsSync(built) || Math.max(...inputs.map(newestMtime)) > fs.statSync(built).mtimeMs;
  if (!stale) return 0;
  console.log('正在构建前端… Building the web console');
  // NODE_ENV is forced: a build started from a test runner (NODE_ENV=test) would ship React's and antd's development code.
  return spawnSync('npm', ['run', 'build', '--workspace', '@gridline/web'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } }).status ?? 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(buildWebIfStale(process.argv.includes('--force')));
}
