import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../src/config/config.js';

/** Which database this run tests: SQLite unless GRIDLINE_TEST_DIALECT=postgres (set by `npm run test:pg`). */
export const TEST_DIALECT: 'sqlite' | 'postgres' = process.env.GRIDLINE_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';

/** The data directories testConfig made in this test file, removed after it (test/setup.ts). */
const dataDirs: string[] = [];

export function removeTestDataDirs(): void {
  for (const dir of dataDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * A fresh, isolated database per call: a temporary SQLite file, or a new schema in the run's PostgreSQL
 * database (GRIDLINE_TEST_PG_URL), so test files can run in parallel without seeing each other.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridline-test-'));
  dataDirs.push(dataDir);
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    GRIDLINE_DATA_KEY: crypto.createHash('sha256').update('gridline-test-key').digest('base64'),
    LOG_LEVEL: 'silent',
    LOGIN_RATE_PER_MINUTE: '100000',
    DEMO_ON_EMPTY: 'false',
    ...overrides,
  };
  if (TEST_DIALECT === 'postgres') {
    const url = process.env.GRIDLINE_TEST_PG_URL;
    if (!url) throw new Error('GRIDLINE_TEST_PG_URL must be set when GRIDLINE_TEST_DIALECT=postgres');
    env.DATABASE_URL = url;
    env.DATABASE_SCHEMA = `t_${crypto.randomBytes(6).toString('hex')}`;
    env.DATABASE_POOL_SIZE = '4';
  } else {
    env.DATABASE_URL = `sqlite:${path.join(dataDir, 'test.sqlite')}`;
  }
  return loadConfig(env, dataDir);
}
