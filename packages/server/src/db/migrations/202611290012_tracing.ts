import { sql } from 'kysely';
import type { GridlineMigration } from '../migrate.js';

/**
 * Contact tracing (issue #6): the contacts proposed, entered and confirmed for each case.
 * - One row per person per case (unique person_key), so re-running a trace merges instead of duplicating.
 * - Lists by case and category; scoped lists by the contact's node and status (grid workers' follow-up,
 *   the measures issue's confirmed contacts); a resident's contacts (a contact who becomes a case links clusters).
 * Scans already carry the two (…, at) indexes a trace reads by (migration 202611290007): the case's scans by
 * person, everyone's at a place by time.
 */
export const migration: GridlineMigration = {
  async up({ db, dialect: d }) {
    await db.schema
      .createTable('contacts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('restrict'))
      .addColumn('person_key', 'text', (c) => c.notNull())
      .addColumn('resident_id', 'text', (c) => c.references('residents.id').onDelete('restrict'))
      .addColumn('visitor_id', 'text')
      .addColumn('person_name', 'text', (c) => c.notNull())
      .addColumn('phone_enc', 'text')
      .addColumn('phone_hash', 'text')
      .addColumn('phone_masked', 'text')
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('relation', 'text', (c) => c.notNull().defaultTo(''))
      // A plain reference (no foreign key): exports load in any row order.
      .addColumn('via_contact_id', 'text')
      .addColumn('exposure_at', d.bigint(), (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('protocol_id', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', d.bigint())
      .addColumn('notified_at', d.bigint())
      .addColumn('task_id', 'text')
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addCheckConstraint('contacts_category_ck', sql`category in ('close','secondary','general')`)
      .addCheckConstraint('contacts_source_ck', sql`source in ('household','colocation','entered','secondary')`)
      .addCheckConstraint('contacts_status_ck', sql`status in ('proposed','confirmed','rejected')`)
      .execute();
    await db.schema.createIndex('contacts_person_uq').on('contacts').columns(['case_id', 'person_key']).unique().execute();
    await db.schema.createIndex('contacts_case_idx').on('contacts').columns(['case_id', 'category', 'status']).execute();
    await db.schema.createIndex('contacts_region_idx').on('contacts').columns(['region_code', 'status', 'exposure_at']).execute();
    await db.schema.createIndex('contacts_resident_idx').on('contacts').column('resident_id').execute();
  },
};
