import type { Config } from './config/config.js';
import { createContext, type AppContext } from './context.js';
import { createDatabase, type SqliteCheckpointing } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { systemClock, type Clock } from './lib/clock.js';
import { loadDataKey, PersonalDataCipher } from './lib/personal-data.js';

/** How a serving process opens its database: `gridline start`, and the bench where it stands in for the server. */
export const SERVING = { checkpointing: 'background' } as const satisfies { checkpointing: SqliteCheckpointing };

/** Config → key → database → migrations → context: what every entry point (server, CLI, tests) does first. */
export async function openContext(
  config: Config,
  opts: { clock?: Clock; migrate?: boolean; checkpointing?: SqliteCheckpointing } = {},
): Promise<AppContext> {
  const { key } = loadDataKey(config.dataKey, config.dataDir);
  const handle = await createDatabase(config.db, { checkpointing: opts.checkpointing });
  try {
    if (opts.migrate !== false) {
      await migrateToLatest(handle.db, handle.dialect);
      // Monthly partitions of event tables (PostgreSQL) exist ahead of the rows that will need them.
      await handle.dialect.ensurePartitions(handle.db, Date.now());
    }
  } catch (err) {
    await handle.close();
    throw err;
  }
  return createContext(config, handle, opts.clock ?? systemClock, new PersonalDataCipher(key));
}
