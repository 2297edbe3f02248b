import { parseArgs } from 'node:util';
import { levelOfCode } from '@gridline/shared';
import { buildApp } from '../app.js';
import { openContext, SERVING } from '../bootstrap.js';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import type { AppContext } from '../context.js';
import { appliedMigrations } from '../db/migrate.js';
import { demoAccounts, DEMO_PASSWORD, seedDemo, type DemoAccount } from '../demo/seed.js';
import { AppError } from '../lib/errors.js';
import { assertStrongPassword } from '../modules/auth/password.js';
import { regionsRepository } from '../modules/regions/regions.repository.js';
import { protocolCommand } from '../modules/protocol/protocol.cli.js';
import { Scope } from '../security/scope.js';
import { exportData, importData } from '../transfer/transfer.js';
import { inboxCommand } from './inbox-command.js';

const HELP = `gridline — 社区防线 command line

Usage: gridline <command> [options]

  start                      migrate, seed the demo street on an empty database, serve HTTP
  migrate                    apply pending database migrations
  demo [--seed N] [--residents N]
                             seed the demo street into an empty database
  create-admin --username U --password P [--node CODE --node-name NAME]
                             create a system administrator (and the root district on an empty database)
  audit verify               verify the audit log's hash chain (exit 1 names the first bad event)
  export --out FILE          write all data to a logical export file (NDJSON)
  import --in FILE           load an export file into an empty, migrated database
  protocol list              protocol (防控方案) versions, the one in force today marked
  protocol show ID           every value of a version with its source, and its changes against the one before
  whistles sweep             escalate whistles past their acknowledgement/resolution deadline now (the server does it every minute)
  inbox import --in FILE --node CODE   import a 12345 ticket export (.csv/.xlsx) into the inbox; bad rows printed
  inbox token --node CODE --name NAME [--channel hotline|robot]   access token for a pushing system (shown once)
  inbox webhooks             attempt the outgoing webhook deliveries that are due now

Configuration comes from the environment (see README): DATABASE_URL, PORT, DATA_DIR, …`;

function printAccounts(accounts: DemoAccount[]): void {
  if (!accounts.length) return;
  console.log(`\n演示账号 Demo accounts (初始密码 password: ${DEMO_PASSWORD})`);
  const w = Math.max(...accounts.map((a) => a.username.length));
  for (const a of accounts) console.log(`  ${a.username.padEnd(w)}  ${a.roleLabel} · ${a.nodeName}`);
}

async function withContext<T>(config: Config, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openContext(config);
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

async function start(config: Config): Promise<void> {
  // A server's commits never wait for the WAL to be copied back: a thread does it.
  const ctx = await openContext(config, SERVING);
  if (config.demoOnEmpty && (await regionsRepository.isEmpty(ctx.db))) {
    console.log(`数据库为空，正在生成演示街道（${config.demoResidents} 名居民）… Seeding the demo street`);
    const s = await seedDemo(ctx, config.demoSeed, config.demoResidents);
    console.log(`已生成：${s.communities} 个社区、${s.grids} 个网格、${s.buildings} 栋楼、${s.households} 户、${s.residents} 名居民`);
  }
  const app = await buildApp(ctx);
  // Hourly housekeeping, run by whichever instance claims the hour first.
  ctx.scheduler.start(app.log);
  await app.listen({ port: config.port, host: config.host });
  const where = config.db.dialect === 'sqlite' ? `SQLite ${config.db.file}` : 'PostgreSQL';
  console.log(`\n社区防线 Gridline 已启动 is running: ${config.publicUrl}\n  API 文档 docs: ${config.publicUrl}/api/docs\n  数据库 database: ${where}`);
  printAccounts(await demoAccounts(ctx));
  const stop = async () => {
    ctx.scheduler.stop();
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(HELP);
    return command ? 0 : 1;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      seed: { type: 'string' }, residents: { type: 'string' }, username: { type: 'string' }, password: { type: 'string' },
      node: { type: 'string' }, 'node-name': { type: 'string' }, out: { type: 'string' }, in: { type: 'string' },
      name: { type: 'string' }, channel: { type: 'string' },
    },
  });
  const config = loadConfig();

  switch (command) {
    case 'start':
      await start(config);
      return -1;
    case 'migrate':
      return withContext(config, async (ctx) => {
        console.log(`数据库已是最新 Database is up to date: ${(await appliedMigrations(ctx.db)).join(', ')}`);
        return 0;
      });
    case 'demo':
      return withContext(config, async (ctx) => {
        if (!(await regionsRepository.isEmpty(ctx.db))) {
          console.error('数据库不为空，未生成演示数据。The database is not empty; the demo is only seeded into an empty one.');
          return 1;
        }
        const s = await seedDemo(ctx, values.seed ? Number(values.seed) : config.demoSeed, values.residents ? Number(values.residents) : config.demoResidents);
        console.log(`已生成演示街道：${s.grids} 个网格、${s.households} 户、${s.residents} 名居民`);
        printAccounts(s.accounts);
        return 0;
      });
    case 'create-admin':
      return withContext(config, async (ctx) => createAdmin(ctx, values));
    case 'audit':
      if (positionals[0] !== 'verify') break;
      return withContext(config, async (ctx) => {
        const r = await ctx.services.audit.verify(ctx.db);
        (r.ok ? console.log : console.error)(r.message);
        return r.ok ? 0 : 1;
      });
    case 'export':
      if (!values.out) break;
      return withContext(config, async (ctx) => {
        const h = await exportData(ctx, values.out!);
        console.log(`已导出 Exported to ${values.out}: ${Object.entries(h.tables).map(([t, n]) => `${t} ${n}`).join(', ')}`);
        return 0;
      });
    case 'import':
      if (!values.in) break;
      return withContext(config, async (ctx) => {
        const { imported } = await importData(ctx, values.in!);
        console.log(`已导入 Imported: ${Object.entries(imported).map(([t, n]) => `${t} ${n}`).join(', ')}`);
        const v = await ctx.services.audit.verify(ctx.db);
        console.log(v.message);
        return v.ok ? 0 : 1;
      });
    case 'protocol':
      return withContext(config, (ctx) => protocolCommand(ctx, positionals));
    case 'whistles':
      if (positionals[0] !== 'sweep') break;
      return withContext(config, async (ctx) => {
        const { escalated } = await ctx.services.whistles.sweep();
        console.log(`已升级 ${escalated.length} 个超时哨件 Escalated ${escalated.length}${escalated.map((e) => `\n  ${e.no} → ${e.to}`).join('')}`);
        return 0;
      });
  }
  if (command === 'inbox') return withContext(config, (ctx) => inboxCommand(ctx, positionals, values));
  console.error(`Unknown command or missing option.\n\n${HELP}`);
  return 2;
}

async function createAdmin(ctx: AppContext, v: Record<string, string | boolean | undefined>): Promise<number> {
  const username = typeof v.username === 'string' ? v.username : '';
  const password = typeof v.password === 'string' ? v.password : '';
  if (!username || !password) {
    console.error('需要 --username 与 --password。Both --username and --password are required.');
    return 2;
  }
  assertStrongPassword(password, '--password');
  let node = typeof v.node === 'string' ? v.node : (await regionsRepository.root(ctx.db))?.code;
  if (!node) {
    console.error('数据库中还没有区划，请用 --node 与 --node-name 指定根区县。No region yet: give --node (6-digit district code) and --node-name.');
    return 2;
  }
  const system = Scope.system('cli');
  if (!(await regionsRepository.byCode(ctx.db, node))) {
    const name = typeof v['node-name'] === 'string' ? v['node-name'] : '';
    if (levelOfCode(node) !== 'district' || !name) {
      console.error(`区划 ${node} 不存在；创建根区县需要 6 位编码和 --node-name。`);
      return 2;
    }
    await ctx.services.regions.create(system, { code: node, name });
  }
  node = node.slice(0, 9);
  const user = await ctx.services.users.create(system, { username, displayName: '系统管理员', role: 'sysadmin', nodeCode: node, password });
  console.log(`已创建系统管理员 ${user.username}（首次登录须修改密码）Created sysadmin ${user.username}; the password must be changed at first sign-in.`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    else if (err instanceof AppError) console.error(`${err.code}: ${err.fields?.map((f) => `${f.path} ${f.message}`).join('; ') || err.message}`);
    else console.error(err);
    process.exit(1);
  },
);
