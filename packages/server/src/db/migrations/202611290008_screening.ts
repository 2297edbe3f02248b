import { sql } from 'kysely';
import type { GridlineMigration } from '../migrate.js';

/**
 * Screening campaigns (入户排查). Coverage per grid must stay fast at district scale, so it is never counted
 * from households and visits on read: `screening_grids` holds one row of counters per campaign grid, changed
 * by each visit's delta in the visit's transaction, and "coverage per grid under a node" is a range scan of
 * its primary key (campaign_id, grid_code) — a few hundred rows for a district.
 * `screening_households` is each visited household's current state (version for conflict detection, last
 * visit, revisit date); `screening_visits` every visit as received (idempotent by client_key), accepted,
 * in conflict or discarded; `screening_results` one row per resident per visit.
 * Residents, households and users are referenced without foreign keys: the record of a visit outlives a
 * resident's removal from the register and must not block it.
 */
export const migration: GridlineMigration = {
  async up({ db, dialect: d }) {
    await db.schema
      .createTable('screening_campaigns')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('node_code', d.codeType(), (c) => c.notNull())
      .addColumn('starts_on', 'text', (c) => c.notNull())
      .addColumn('ends_on', 'text', (c) => c.notNull())
      .addColumn('questionnaire', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_by', 'text')
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addColumn('activated_at', d.bigint())
      .addColumn('closed_at', d.bigint())
      .addCheckConstraint('screening_campaigns_status_ck', sql`status in ('draft','active','closed')`)
      .execute();
    await db.schema.createIndex('screening_campaigns_node_idx').on('screening_campaigns').columns(['node_code', 'created_at']).execute();

    await db.schema
      .createTable('screening_grids')
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('screening_campaigns.id').onDelete('cascade'))
      .addColumn('grid_code', d.codeType(), (c) => c.notNull())
      .addColumn('households_total', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('visited', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('nobody_home', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('residents_screened', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('abnormal_residents', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addPrimaryKeyConstraint('screening_grids_pk', ['campaign_id', 'grid_code'])
      .execute();
    // "Campaigns with a grid in my jurisdiction" starts from the grid code.
    await db.schema.createIndex('screening_grids_grid_idx').on('screening_grids').columns(['grid_code', 'campaign_id']).execute();

    await db.schema
      .createTable('screening_assignments')
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('screening_campaigns.id').onDelete('cascade'))
      .addColumn('grid_code', d.codeType(), (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('assigned_by', 'text')
      .addColumn('assigned_at', d.bigint(), (c) => c.notNull())
      .addPrimaryKeyConstraint('screening_assignments_pk', ['campaign_id', 'grid_code', 'user_id'])
      .execute();
    await db.schema.createIndex('screening_assignments_user_idx').on('screening_assignments').columns(['user_id', 'campaign_id']).execute();

    await db.schema
      .createTable('screening_households')
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('screening_campaigns.id').onDelete('cascade'))
      .addColumn('household_id', 'text', (c) => c.notNull())
      .addColumn('household_code', d.codeType(), (c) => c.notNull())
      .addColumn('grid_code', d.codeType(), (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('last_visit_id', 'text', (c) => c.notNull())
      .addColumn('last_visited_at', d.bigint(), (c) => c.notNull())
      .addColumn('last_visited_by', 'text')
      .addColumn('last_visited_by_name', 'text', (c) => c.notNull())
      .addColumn('revisit_on', 'text')
      .addColumn('residents_screened', 'integer', (c) => c.notNull())
      .addColumn('abnormal_residents', 'integer', (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addPrimaryKeyConstraint('screening_households_pk', ['campaign_id', 'household_id'])
      .addCheckConstraint('screening_households_state_ck', sql`state in ('visited','nobody_home')`)
      .execute();
    await db.schema.createIndex('screening_households_code_idx').on('screening_households').columns(['campaign_id', 'household_code']).execute();

    await db.schema
      .createTable('screening_visits')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('client_key', 'text', (c) => c.notNull())
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('screening_campaigns.id').onDelete('cascade'))
      .addColumn('household_id', 'text', (c) => c.notNull())
      .addColumn('household_code', d.codeType(), (c) => c.notNull())
      .addColumn('grid_code', d.codeType(), (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('base_version', 'integer', (c) => c.notNull())
      .addColumn('applied_version', 'integer')
      .addColumn('conflict_visit_id', 'text')
      .addColumn('visited_by', 'text')
      .addColumn('visited_by_name', 'text', (c) => c.notNull())
      .addColumn('visited_at', d.bigint(), (c) => c.notNull())
      .addColumn('received_at', d.bigint(), (c) => c.notNull())
      .addColumn('revisit_on', 'text')
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('protocol_id', 'text', (c) => c.notNull())
      .addColumn('residents', 'integer', (c) => c.notNull())
      .addColumn('abnormal_residents', 'integer', (c) => c.notNull())
      .addColumn('resolved_by', 'text')
      .addColumn('resolved_at', d.bigint())
      .addCheckConstraint('screening_visits_outcome_ck', sql`outcome in ('visited','nobody_home')`)
      .addCheckConstraint('screening_visits_status_ck', sql`status in ('accepted','conflict','discarded')`)
      .execute();
    // Idempotency: one stored visit per client key, whoever sends it how often.
    await db.schema.createIndex('screening_visits_key_uq').on('screening_visits').column('client_key').unique().execute();
    await db.schema.createIndex('screening_visits_household_idx').on('screening_visits').columns(['campaign_id', 'household_id', 'applied_version']).execute();
    await db.schema.createIndex('screening_visits_author_idx').on('screening_visits').columns(['visited_by', 'status', 'received_at']).execute();

    await db.schema
      .createTable('screening_results')
      .addColumn('visit_id', 'text', (c) => c.notNull().references('screening_visits.id').onDelete('cascade'))
      .addColumn('resident_id', 'text', (c) => c.notNull())
      .addColumn('presence', 'text', (c) => c.notNull())
      .addColumn('answers', 'text', (c) => c.notNull())
      .addColumn('abnormal', 'integer', (c) => c.notNull())
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('screening_results_pk', ['visit_id', 'resident_id'])
      .execute();
  },
};
