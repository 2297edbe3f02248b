import { sql } from 'kysely';
import type { GridlineMigration } from '../migrate.js';

/**
 * Designated isolation sites (集中隔离点, issue #7): hotels, designated sites and hospitals a street or the district
 * designates, with a capacity. A centralized isolation names its site (measures.site_id); the site's occupancy is
 * counted from the measures pending or in force there, inside the imposing transaction, so it is never stored twice.
 */
export const migration: GridlineMigration = {
  async up({ db, dialect: d }) {
    await db.schema
      .createTable('isolation_sites')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('kind', 'text', (c) => c.notNull())
      // The street or district that designates it; it serves everything under that node.
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('capacity', 'integer', (c) => c.notNull())
      .addColumn('contact_phone', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_by_name', 'text', (c) => c.notNull())
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addCheckConstraint('isolation_sites_kind_ck', sql`kind in ('hotel','designated','hospital')`)
      .addCheckConstraint('isolation_sites_capacity_ck', sql`capacity > 0`)
      .addCheckConstraint('isolation_sites_active_ck', sql`active in (0, 1)`)
      .execute();
    await db.schema.createIndex('isolation_sites_region_idx').on('isolation_sites').columns(['region_code', 'name']).execute();
    await db.schema.alterTable('measures').addColumn('site_id', 'text', (c) => c.references('isolation_sites.id').onDelete('restrict')).execute();
    // Occupancy: the measures at one site that are pending or in force.
    await db.schema.createIndex('measures_site_idx').on('measures').columns(['site_id', 'status']).execute();
  },
};
