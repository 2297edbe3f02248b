import { sql } from 'kysely';
import type { GridlineMigration } from '../migrate.js';

/**
 * Control measures (issue #7): isolation and health monitoring of a person, area controls over a region node.
 * A measure in force or ended must name its legal basis, its approver and its end: the database refuses any
 * other (the service checks first, with reasons a person can read). The window it acts in is
 * [start_at, coalesce(ended_at, planned_end_at)), so it stops affecting anyone at its end time by itself.
 */
export const migration: GridlineMigration = {
  async up({ db, dialect: d }) {
    await db.schema
      .createTable('measures')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('subject_kind', 'text')
      .addColumn('resident_id', 'text', (c) => c.references('residents.id').onDelete('restrict'))
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('area_level', 'text')
      .addColumn('denies_passage', 'integer', (c) => c.notNull())
      .addColumn('place_kind', 'text')
      .addColumn('place_name', 'text')
      .addColumn('legal_basis', 'text', (c) => c.notNull())
      .addColumn('protocol_id', 'text', (c) => c.notNull())
      .addColumn('start_at', d.bigint(), (c) => c.notNull())
      .addColumn('planned_end_at', d.bigint(), (c) => c.notNull())
      .addColumn('ended_at', d.bigint())
      .addColumn('end_note', 'text')
      .addColumn('proportionate', 'integer', (c) => c.notNull())
      .addColumn('assessment', 'text', (c) => c.notNull())
      .addColumn('required_approval', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('decided_by', 'text')
      .addColumn('decided_by_name', 'text')
      .addColumn('decided_at', d.bigint())
      .addColumn('decision_reason', 'text')
      .addColumn('source_type', 'text')
      .addColumn('source_id', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_by_name', 'text', (c) => c.notNull())
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addCheckConstraint('measures_kind_ck', sql`kind in ('centralized_isolation','home_isolation','home_health_monitoring','area_control')`)
      .addCheckConstraint('measures_status_ck', sql`status in ('pending','active','ended','refused')`)
      .addCheckConstraint('measures_window_ck', sql`planned_end_at > start_at`)
      // In force or ended: a legal basis, an approver and an end, always.
      .addCheckConstraint(
        'measures_lawful_ck',
        sql`status not in ('active','ended') or (legal_basis <> '[]' and legal_basis <> '' and decided_by is not null and decided_at is not null)`,
      )
      .addCheckConstraint('measures_subject_ck', sql`(kind = 'area_control' and resident_id is null and area_level is not null) or (kind <> 'area_control' and resident_id is not null)`)
      .execute();
    // A person's measures (the checkpoint's question); lists under a node; area controls in force.
    await db.schema.createIndex('measures_resident_idx').on('measures').columns(['resident_id', 'status']).execute();
    await db.schema.createIndex('measures_region_idx').on('measures').columns(['region_code', 'created_at']).execute();
    await db.schema.createIndex('measures_kind_status_idx').on('measures').columns(['kind', 'status']).execute();

    // Appeals against a measure (to the level above the one that imposed it) and complaints about conduct (to the auditor).
    await db.schema
      .createTable('appeals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('measure_id', 'text', (c) => c.references('measures.id').onDelete('restrict'))
      .addColumn('complaint_kind', 'text')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('resident_id', 'text', (c) => c.references('residents.id').onDelete('restrict'))
      .addColumn('filed_by', 'text')
      .addColumn('filed_by_name', 'text', (c) => c.notNull())
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('handler_level', 'text', (c) => c.notNull())
      .addColumn('filed_at', d.bigint(), (c) => c.notNull())
      .addColumn('due_at', d.bigint(), (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text')
      .addColumn('decision', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decided_by_name', 'text')
      .addColumn('decided_at', d.bigint())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addCheckConstraint('appeals_kind_ck', sql`(kind = 'appeal' and measure_id is not null) or (kind = 'complaint' and complaint_kind is not null)`)
      .addCheckConstraint('appeals_decided_ck', sql`status <> 'decided' or (outcome is not null and decided_by is not null and decided_at is not null)`)
      .execute();
    await db.schema.createIndex('appeals_region_idx').on('appeals').columns(['region_code', 'filed_at']).execute();
    await db.schema.createIndex('appeals_resident_idx').on('appeals').columns(['resident_id', 'filed_at']).execute();
    await db.schema.createIndex('appeals_measure_idx').on('appeals').column('measure_id').execute();
  },
};
