import { sql } from 'kysely';
import type { GridlineMigration } from '../migrate.js';

/**
 * Health monitoring, follow-up tasks and arrivals (issue #5).
 * - health_reports: one row per resident per Shanghai day (a second report that day replaces it); the protocol
 *   version that judged it is kept. Region code is where the resident lived when reporting (scoping). The day
 *   is kept as text (read) and as the epoch ms it starts (keys, partitioning).
 * - health_monitoring: who must report daily, from which day to which (inclusive), why, until ended early.
 * - tasks: the generic follow-up task, owned by a region node (a grid for resident follow-ups), with the
 *   record that caused it (source type + id).
 * - arrivals: an arrival report with the plan the protocol in force at the arrival date required.
 * Resident references restrict deletion: epidemic records are not silently dropped with a register entry.
 */
export const migration: GridlineMigration = {
  async up({ db, dialect: d }) {
    await db.schema
      .createTable('health_reports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id').onDelete('restrict'))
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('day_start', d.bigint(), (c) => c.notNull())
      .addColumn('temperature_tenths', 'integer', (c) => c.notNull())
      .addColumn('symptoms', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('test_sampled_at', d.bigint())
      .addColumn('test_result', 'text')
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('abnormal', 'integer', (c) => c.notNull())
      .addColumn('abnormal_reasons', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('protocol_id', 'text', (c) => c.notNull())
      .addColumn('reporter_kind', 'text', (c) => c.notNull())
      .addColumn('reporter_id', 'text')
      .addColumn('reporter_name', 'text', (c) => c.notNull())
      .addColumn('reported_at', d.bigint(), (c) => c.notNull())
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addCheckConstraint('health_reports_kind_ck', sql`reporter_kind in ('self','worker')`)
      .addCheckConstraint('health_reports_test_ck', sql`test_result is null or test_result in ('negative','positive')`)
      .execute();
    await db.schema.createIndex('health_reports_resident_day_uq').on('health_reports').columns(['resident_id', 'day_start']).unique().execute();
    // Today's reports under a node: an equality on the day, then the node's code range.
    await db.schema.createIndex('health_reports_day_region_idx').on('health_reports').columns(['day_start', 'region_code']).execute();
    // Reports are the daily event table: partitioned by month of the day on PostgreSQL (old months archived or
    // purged whole when their retention ends). The generic path keeps columns, defaults and indexes, not the
    // check constraints or the foreign key, which the service upholds.
    await d.partitionEventTable(db, 'health_reports');

    await db.schema
      .createTable('health_monitoring')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id').onDelete('restrict'))
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('start_day', 'text', (c) => c.notNull())
      .addColumn('end_day', 'text', (c) => c.notNull())
      .addColumn('source_type', 'text')
      .addColumn('source_id', 'text')
      .addColumn('protocol_id', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('ended_at', d.bigint())
      .addColumn('ended_by', 'text')
      .addColumn('end_note', 'text')
      .addCheckConstraint('health_monitoring_reason_ck', sql`reason in ('arrival','manual')`)
      .addCheckConstraint('health_monitoring_days_ck', sql`start_day <= end_day`)
      .execute();
    await db.schema.createIndex('health_monitoring_resident_idx').on('health_monitoring').columns(['resident_id', 'end_day']).execute();
    await db.schema.createIndex('health_monitoring_region_idx').on('health_monitoring').columns(['region_code', 'end_day']).execute();
    await db.schema.createIndex('health_monitoring_source_idx').on('health_monitoring').columns(['source_type', 'source_id']).execute();

    await db.schema
      .createTable('tasks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('resident_id', 'text', (c) => c.references('residents.id').onDelete('restrict'))
      .addColumn('due_at', d.bigint())
      .addColumn('assignee_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('source_type', 'text')
      .addColumn('source_id', 'text')
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addColumn('closed_at', d.bigint())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addCheckConstraint('tasks_status_ck', sql`status in ('open','in_progress','done','cancelled')`)
      .execute();
    // "My tasks": the grid's tasks by status and due time.
    await db.schema.createIndex('tasks_region_status_idx').on('tasks').columns(['region_code', 'status', 'due_at']).execute();
    await db.schema.createIndex('tasks_resident_idx').on('tasks').columns(['resident_id', 'type', 'status']).execute();
    await db.schema.createIndex('tasks_source_idx').on('tasks').columns(['source_type', 'source_id']).execute();

    await db.schema
      .createTable('arrivals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id').onDelete('restrict'))
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('origin_name', 'text', (c) => c.notNull())
      .addColumn('origin_risk', 'text', (c) => c.notNull())
      .addColumn('arrival_date', 'text', (c) => c.notNull())
      .addColumn('transport', 'text', (c) => c.notNull())
      .addColumn('transport_no', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('protocol_id', 'text', (c) => c.notNull())
      .addColumn('plan', 'text', (c) => c.notNull())
      .addColumn('measure', 'text', (c) => c.notNull())
      .addColumn('measure_start', d.bigint())
      .addColumn('measure_end', d.bigint())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('newly_registered', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reporter_kind', 'text', (c) => c.notNull())
      .addColumn('reporter_id', 'text')
      .addColumn('reporter_name', 'text', (c) => c.notNull())
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addColumn('cancelled_at', d.bigint())
      .addColumn('cancel_reason', 'text')
      .addCheckConstraint('arrivals_risk_ck', sql`origin_risk in ('high','medium','low')`)
      .addCheckConstraint('arrivals_status_ck', sql`status in ('active','cancelled')`)
      .execute();
    await db.schema.createIndex('arrivals_region_date_idx').on('arrivals').columns(['region_code', 'arrival_date']).execute();
    // The checkpoint's question: is this person's isolation in force now?
    await db.schema.createIndex('arrivals_resident_measure_idx').on('arrivals').columns(['resident_id', 'measure_end']).execute();
  },
};
