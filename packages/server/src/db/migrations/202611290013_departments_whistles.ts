import { sql } from 'kysely';
import type { GridlineMigration } from '../migrate.js';

/**
 * Departments, routing rules, deadline settings and whistles (吹哨报到, issue #8).
 * - departments: a registry at a node of the region tree (usually the street or the district), with a duty line
 *   and the categories it handles; department staff carry `users.department_id`.
 * - whistle_routes: category × jurisdiction node → department (the lead when several share a node).
 * - whistle_deadlines: a node's own acknowledgement/resolution windows per urgency (else REFERENCE §4 defaults).
 * - whistles: the matter, its place (region code for scoping, address, pin), the routed department, status, the
 *   level watching it (community → street → district) and every deadline as an absolute epoch-ms time, so a
 *   restarted server (or another instance) sweeps exactly what is overdue.
 * - whistle_departments: departments co-assigned to a whistle (they see it and report progress).
 * - whistle_events: the timeline (every step, also audited); whistle_files: photos and documents in the file store.
 */
export const migration: GridlineMigration = {
  async up({ db, dialect: d }) {
    await db.schema
      .createTable('departments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('node_code', d.codeType(), (c) => c.notNull())
      .addColumn('duty_contact', 'text', (c) => c.notNull())
      .addColumn('duty_phone', 'text', (c) => c.notNull())
      .addColumn('categories', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('departments_node_idx').on('departments').columns(['node_code']).execute();
    await db.schema.createIndex('departments_node_name_uq').on('departments').columns(['node_code', 'name']).unique().execute();

    await db.schema.alterTable('users').addColumn('department_id', 'text', (c) => c.references('departments.id').onDelete('set null')).execute();

    await db.schema
      .createTable('whistle_routes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('node_code', d.codeType(), (c) => c.notNull())
      .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id').onDelete('cascade'))
      .addColumn('lead', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('whistle_routes_uq').on('whistle_routes').columns(['category', 'node_code', 'department_id']).unique().execute();
    await db.schema.createIndex('whistle_routes_node_idx').on('whistle_routes').columns(['node_code']).execute();

    await db.schema
      .createTable('whistle_deadlines')
      .addColumn('node_code', d.codeType(), (c) => c.notNull())
      .addColumn('urgency', 'text', (c) => c.notNull())
      .addColumn('ack_ms', d.bigint(), (c) => c.notNull())
      .addColumn('resolve_ms', d.bigint(), (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addPrimaryKeyConstraint('whistle_deadlines_pk', ['node_code', 'urgency'])
      .execute();

    await db.schema
      .createTable('whistles')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('no', 'text', (c) => c.notNull().unique())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('urgency', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('lat', 'real')
      .addColumn('lng', 'real')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('inbox_item_id', 'text')
      .addColumn('department_id', 'text', (c) => c.references('departments.id').onDelete('set null'))
      .addColumn('routed_by', 'text', (c) => c.notNull())
      .addColumn('route_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('escalated_at', d.bigint())
      .addColumn('raised_by_id', 'text')
      .addColumn('raised_by', 'text', (c) => c.notNull())
      .addColumn('raised_node', d.codeType(), (c) => c.notNull())
      .addColumn('ack_due_at', d.bigint(), (c) => c.notNull())
      .addColumn('resolve_due_at', d.bigint(), (c) => c.notNull())
      .addColumn('next_escalation_at', d.bigint())
      .addColumn('acknowledged_at', d.bigint())
      .addColumn('resolved_at', d.bigint())
      .addColumn('closed_at', d.bigint())
      .addColumn('rating', 'text')
      .addColumn('solved', 'integer')
      .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addCheckConstraint('whistles_status_ck', sql`status in ('pending_ack','acknowledged','resolved','closed')`)
      .addCheckConstraint('whistles_level_ck', sql`level in ('community','street','district')`)
      .addCheckConstraint('whistles_rating_ck', sql`rating is null or rating in ('satisfied','basically_satisfied','dissatisfied')`)
      .execute();
    // Lists under a node by status; the sweep's "what is due" range; a department's queue; the period of the figures.
    await db.schema.createIndex('whistles_region_status_idx').on('whistles').columns(['region_code', 'status']).execute();
    await db.schema.createIndex('whistles_escalation_idx').on('whistles').columns(['next_escalation_at']).execute();
    await db.schema.createIndex('whistles_department_idx').on('whistles').columns(['department_id', 'status']).execute();
    await db.schema.createIndex('whistles_created_idx').on('whistles').columns(['created_at']).execute();
    await db.schema.createIndex('whistles_inbox_idx').on('whistles').columns(['inbox_item_id']).execute();

    await db.schema
      .createTable('whistle_departments')
      .addColumn('whistle_id', 'text', (c) => c.notNull().references('whistles.id').onDelete('cascade'))
      .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('whistle_departments_pk', ['whistle_id', 'department_id'])
      .execute();
    await db.schema.createIndex('whistle_departments_dept_idx').on('whistle_departments').columns(['department_id']).execute();

    await db.schema
      .createTable('whistle_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('whistle_id', 'text', (c) => c.notNull().references('whistles.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('at', d.bigint(), (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema.createIndex('whistle_events_whistle_idx').on('whistle_events').columns(['whistle_id', 'at']).execute();

    await db.schema
      .createTable('whistle_files')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('whistle_id', 'text', (c) => c.notNull().references('whistles.id').onDelete('cascade'))
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('mime', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('uploaded_by', 'text', (c) => c.notNull())
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('whistle_files_whistle_idx').on('whistle_files').columns(['whistle_id']).execute();
  },
};
