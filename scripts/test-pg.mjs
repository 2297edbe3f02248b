// Runs the server suite on PostgreSQL: creates a fresh database for this run, points the suite at it
// (each test app then makes its own schema inside), and drops it afterwards.
// Without a reachable PostgreSQL the run is skipped with one line — except under CI=true, where it fails.
import { spawnSync } from 'node:child_process';
import pg from 'pg';

const adminUrl = process.env.GRIDLINE_TEST_PG_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const ci = process.env.CI === 'true';
const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
try {
  await admin.connect();
} catch (err) {
  const line = `PostgreSQL is not reachable at ${adminUrl} (${err.message})`;
  if (ci) {
    console.error(`${line}: with CI=true the PostgreSQL suite cannot be skipped.`);
    process.exit(1);
  }
  console.log(`${line}: PostgreSQL tests skipped. Start it (see README) to run them.`);
  process.exit(0);
}
const dbName = `gridline_test_${Date.now()}_${process.pid}`;
await admin.query(`create database ${dbName}`);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
console.log(`PostgreSQL suite on fresh database ${dbName}`);
const args = ['vitest', 'run', '--project', 'server', ...process.argv.slice(2)];
const res = spawnSync('npx', args, {
  stdio: 'inherit',
  env: { ...process.env, GRIDLINE_TEST_DIALECT: 'postgres', GRIDLINE_TEST_PG_URL: url.toString() },
});
try {
  await admin.query(`drop database if exists ${dbName} with (force)`);
} finally {
  await admin.end();
}
process.exit(res.status ?? 1);
