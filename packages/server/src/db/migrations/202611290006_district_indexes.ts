import { sql } from 'kysely';
import type { GridlineMigration } from '../migrate.js';

/**
 * District scale (bench/explain/): counting a name-prefix search over a district read every resident's entry
 * of residents_region_idx, because a LIKE prefix cannot use the collation-ordered residents_name_idx outside
 * the C locale. This index turns it into a range over the prefix. It is partial on `name is not null` (always
 * true) so that only queries with a condition on name may use it: otherwise PostgreSQL also picked it for
 * region-only scans that cover the whole table, which it makes slower. SQLite gets no index (its LIKE is
 * case-insensitive and its scales are bounded by a street).
 */
export const migration: GridlineMigration = {
  async up({ db, dialect }) {
    const name = dialect.likePrefixKey('name');
    if (name) await sql`create index residents_name_prefix_idx on residents (${name}, ${sql.ref('region_code')}) where name is not null`.execute(db);
  },
};
