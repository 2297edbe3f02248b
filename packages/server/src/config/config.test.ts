import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const CWD = path.resolve('/srv/gridline');
const KEY = Buffer.alloc(32, 7).toString('base64');

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, CWD);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs on defaults alone: SQLite under ./data', () => {
    const c = loadConfig({}, CWD);
    expect(c.db).toEqual({ dialect: 'sqlite', file: path.join(CWD, 'data', 'gridline.sqlite') });
    expect(c.dataDir).toBe(path.join(CWD, 'data'));
    expect(c.dataKey).toBeUndefined();
    expect(c).toMatchObject({
      port: 3000, host: '0.0.0.0', publicUrl: 'http://localhost:3000',
      session: { idleMinutes: 30, absoluteHours: 12, cookieSecure: false },
      login: { maxFailures: 5, lockMinutes: 15 },
      demoOnEmpty: true, demoResidents: 20000, bodyLimit: 1024 * 1024, logLevel: 'info',
    });
    expect(c.webDist).toBe(path.join(CWD, 'packages/web/dist'));
  });

  it('follows DATA_DIR and PORT into the derived defaults', () => {
    const c = loadConfig({ DATA_DIR: 'var/gl', PORT: '8080' }, CWD);
    expect(c.dataDir).toBe(path.join(CWD, 'var/gl'));
    expect(c.db).toEqual({ dialect: 'sqlite', file: path.join(CWD, 'var/gl', 'gridline.sqlite') });
    expect(c.publicUrl).toBe('http://localhost:8080');
    expect(c.port).toBe(8080);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', LOG_LEVEL: '', LOGIN_MAX_FAILURES: '' }, CWD)).toEqual(loadConfig({}, CWD));
  });

  it('DATABASE_URL=postgres://… selects PostgreSQL', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://gridline:secret@db.example:5432/gridline' }, CWD);
    expect(c.db).toEqual({ dialect: 'postgres', url: 'postgres://gridline:secret@db.example:5432/gridline', schema: undefined, poolSize: 10 });
    const c2 = loadConfig({ DATABASE_URL: 'postgresql://db/gridline', DATABASE_SCHEMA: 'street_01', DATABASE_POOL_SIZE: '25' }, CWD);
    expect(c2.db).toEqual({ dialect: 'postgres', url: 'postgresql://db/gridline', schema: 'street_01', poolSize: 25 });
  });

  it('sqlite: and file: URLs name a file, resolved against the working directory', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:db/main.sqlite' }, CWD).db).toEqual({ dialect: 'sqlite', file: path.join(CWD, 'db/main.sqlite') });
    expect(loadConfig({ DATABASE_URL: 'file:///var/lib/gridline.sqlite' }, CWD).db).toEqual({ dialect: 'sqlite', file: '/var/lib/gridline.sqlite' });
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }, CWD).db).toEqual({ dialect: 'sqlite', file: ':memory:' });
  });

  it('accepts a 32-byte base64 data key and typed overrides', () => {
    const c = loadConfig({
      GRIDLINE_DATA_KEY: KEY, SESSION_IDLE_MINUTES: '10', SESSION_ABSOLUTE_HOURS: '8', COOKIE_SECURE: 'true', LOGIN_MAX_FAILURES: '3',
      LOGIN_LOCK_MINUTES: '60', DEMO_ON_EMPTY: 'no', LOG_LEVEL: 'warn', PUBLIC_URL: 'https://gridline.example',
    }, CWD);
    expect(c).toMatchObject({
      dataKey: KEY, session: { idleMinutes: 10, absoluteHours: 8, cookieSecure: true }, login: { maxFailures: 3, lockMinutes: 60 },
      demoOnEmpty: false, logLevel: 'warn', publicUrl: 'https://gridline.example',
    });
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({ PORT: 'abc', LOGIN_MAX_FAILURES: '0', GRIDLINE_DATA_KEY: 'short', DATABASE_URL: 'mysql://x' });
    expect(problems).toHaveLength(4);
    expect(problems.find((p) => p.startsWith('PORT'))).toContain('"abc"');
    expect(problems.find((p) => p.startsWith('LOGIN_MAX_FAILURES'))).toContain('"0"');
    expect(problems.some((p) => p.startsWith('GRIDLINE_DATA_KEY'))).toBe(true);
    expect(problems.some((p) => p.startsWith('DATABASE_URL'))).toBe(true);

    // The message lists them all, one per line, for the operator reading the start-up failure.
    const message = (() => {
      try {
        loadConfig({ PORT: 'abc', LOGIN_MAX_FAILURES: '0', GRIDLINE_DATA_KEY: 'short', DATABASE_URL: 'mysql://x' }, CWD);
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    const lines = message.split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines.slice(1).map((l) => l.replace(/^ {2}- /, '').split(' ')[0]).sort()).toEqual(['DATABASE_URL', 'GRIDLINE_DATA_KEY', 'LOGIN_MAX_FAILURES', 'PORT']);
  });

  it('rejects out-of-range numbers, non-integers, bad booleans, log levels and schema names', () => {
    const problems = problemsOf({
      PORT: '70000', SESSION_IDLE_MINUTES: '1.5', SESSION_ABSOLUTE_HOURS: '-1', LOGIN_LOCK_MINUTES: '0', COOKIE_SECURE: 'maybe', DEMO_ON_EMPTY: '2',
      LOG_LEVEL: 'verbose', DEMO_RESIDENTS: '5', BODY_LIMIT: '10',
    });
    for (const name of ['PORT', 'SESSION_IDLE_MINUTES', 'SESSION_ABSOLUTE_HOURS', 'LOGIN_LOCK_MINUTES', 'COOKIE_SECURE', 'DEMO_ON_EMPTY', 'LOG_LEVEL', 'DEMO_RESIDENTS', 'BODY_LIMIT']) {
      expect(problems.some((p) => p.startsWith(name)), name).toBe(true);
    }
    expect(problems).toHaveLength(9);

    const schema = problemsOf({ DATABASE_URL: 'postgres://db/x', DATABASE_SCHEMA: 'Robert"; drop table users; --', DATABASE_POOL_SIZE: '0' });
    expect(schema).toHaveLength(2);
    expect(schema.some((p) => p.startsWith('DATABASE_SCHEMA'))).toBe(true);
    expect(schema.some((p) => p.startsWith('DATABASE_POOL_SIZE'))).toBe(true);
  });

  it('refuses a data key of the wrong length', () => {
    expect(problemsOf({ GRIDLINE_DATA_KEY: Buffer.alloc(16).toString('base64') })).toHaveLength(1);
    expect(problemsOf({ GRIDLINE_DATA_KEY: Buffer.alloc(33).toString('base64') })).toHaveLength(1);
  });
});
