// `npm start`: builds the web console when its build is missing or stale, then starts the server
// (migrations, the demo street on an empty database, HTTP). Arguments pass through to `gridline start`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWebIfStale } from './build-web.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = buildWebIfStale();
if (built !== 0) process.exit(built);
const cli = path.join(root, 'packages/server/src/cli/main.ts');
const server = spawnSync(process.execPath, ['--import', 'tsx', cli, 'start', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(server.status ?? 1);
