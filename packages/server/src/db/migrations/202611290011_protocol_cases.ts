import { BUILT_IN_PROTOCOLS } from '@gridline/shared';
import { sql } from 'kysely';
import type { GridlineMigration } from '../migrate.js';

/**
 * The versioned protocol and cases (issue #6).
 * - protocol_versions: every epidemiological value of a version as JSON, with its name, issuing document and
 *   effective date; rows are only ever inserted (editing makes a new version based on another). The three
 *   built-in versions (ninth edition, twenty measures, new ten measures) are inserted here.
 * - cases: suspected / confirmed / asymptomatic cases of residents or of people not in the register, scoped by
 *   the node they belong to; the protocol version in force at the anchor date is kept.
 * - case_changes: every classification, status and outcome change with who, when and why.
 */
export const migration: GridlineMigration = {
  async up({ db, dialect: d }) {
    await db.schema
      .createTable('protocol_versions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('effective_from', 'text', (c) => c.notNull())
      .addColumn('values', 'text', (c) => c.notNull())
      // No foreign key: a plain reference, so that exports load in any row order.
      .addColumn('based_on', 'text')
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('protocol_versions_effective_idx').on('protocol_versions').columns(['effective_from', 'created_at']).execute();
    for (const v of BUILT_IN_PROTOCOLS) {
      await db
        .insertInto('protocol_versions')
        .values({
          id: v.id, name: v.name, document: v.document, effective_from: v.effectiveFrom, values: JSON.stringify(v), based_on: null,
          note: '', created_by: 'system', created_at: Date.parse(`${v.effectiveFrom}T00:00:00+08:00`),
        })
        .execute();
    }

    await db.schema
      .createTable('cases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_no', 'text', (c) => c.notNull().unique())
      .addColumn('classification', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text')
      .addColumn('resident_id', 'text', (c) => c.references('residents.id').onDelete('restrict'))
      .addColumn('person_name', 'text', (c) => c.notNull())
      .addColumn('phone_enc', 'text')
      .addColumn('phone_hash', 'text')
      .addColumn('phone_masked', 'text')
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('onset_date', 'text')
      .addColumn('sampling_date', 'text')
      .addColumn('confirmed_at', d.bigint())
      .addColumn('report_source', 'text', (c) => c.notNull())
      .addColumn('protocol_id', 'text', (c) => c.notNull().references('protocol_versions.id').onDelete('restrict'))
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addCheckConstraint('cases_classification_ck', sql`classification in ('suspected','confirmed','asymptomatic')`)
      .addCheckConstraint('cases_status_ck', sql`status in ('open','closed')`)
      .addCheckConstraint('cases_outcome_ck', sql`outcome is null or outcome in ('recovered','died','ruled_out','transferred')`)
      .execute();
    // Lists under a node, newest first; a resident's cases; confirmations by time (the 24-hour clock).
    await db.schema.createIndex('cases_region_idx').on('cases').columns(['region_code', 'created_at']).execute();
    await db.schema.createIndex('cases_resident_idx').on('cases').columns(['resident_id']).execute();
    await db.schema.createIndex('cases_confirmed_idx').on('cases').columns(['confirmed_at']).execute();

    await db.schema
      .createTable('case_changes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
      .addColumn('at', d.bigint(), (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('from_value', 'text')
      .addColumn('to_value', 'text')
      .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema.createIndex('case_changes_case_idx').on('case_changes').columns(['case_id', 'at']).execute();
  },
};
