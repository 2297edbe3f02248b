import { sql } from 'kysely';
import type { GridlineMigration } from '../migrate.js';

/** Region tree, households, residents, accounts, sessions, audit log. */
export const migration: GridlineMigration = {
  async up({ db, dialect: d }) {
    await db.schema
      .createTable('gridline_meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('region_nodes')
      .addColumn('code', d.codeType(), (c) => c.primaryKey())
      .addColumn('parent_code', d.codeType(), (c) => c.references('region_nodes.code').onDelete('restrict'))
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('geometry', 'text')
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addCheckConstraint('region_level_ck', sql`level in ('district','street','community','grid','building','unit')`)
      .execute();
    await db.schema.createIndex('region_nodes_parent_idx').on('region_nodes').column('parent_code').execute();

    await db.schema
      .createTable('households')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', d.codeType(), (c) => c.notNull().unique())
      .addColumn('unit_code', d.codeType(), (c) => c.notNull().references('region_nodes.code').onDelete('restrict'))
      .addColumn('room', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('households_unit_idx').on('households').column('unit_code').execute();

    await db.schema
      .createTable('household_moves')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id').onDelete('cascade'))
      .addColumn('from_code', d.codeType(), (c) => c.notNull())
      .addColumn('to_code', d.codeType(), (c) => c.notNull())
      .addColumn('from_address', 'text', (c) => c.notNull())
      .addColumn('to_address', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('moved_by', 'text')
      .addColumn('moved_at', d.bigint(), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('household_moves_household_idx').on('household_moves').columns(['household_id', 'moved_at']).execute();

    await db.schema
      .createTable('residents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('household_id', 'text', (c) => c.notNull().references('households.id').onDelete('restrict'))
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sex', 'text', (c) => c.notNull())
      .addColumn('birth_date', 'text', (c) => c.notNull())
      .addColumn('doc_type', 'text', (c) => c.notNull())
      .addColumn('doc_number_enc', 'text', (c) => c.notNull())
      .addColumn('doc_number_hash', 'text', (c) => c.notNull())
      .addColumn('doc_number_masked', 'text', (c) => c.notNull())
      .addColumn('doc_last4', 'text', (c) => c.notNull())
      .addColumn('phone_enc', 'text')
      .addColumn('phone_hash', 'text')
      .addColumn('phone_masked', 'text')
      .addColumn('phone_last4', 'text')
      .addColumn('relation_to_head', 'text', (c) => c.notNull())
      .addColumn('residence_status', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addCheckConstraint('residents_sex_ck', sql`sex in ('male','female')`)
      .execute();
    await db.schema.createIndex('residents_region_idx').on('residents').columns(['region_code', 'name']).execute();
    await db.schema.createIndex('residents_household_idx').on('residents').column('household_id').execute();
    await db.schema.createIndex('residents_doc_uq').on('residents').columns(['doc_type', 'doc_number_hash']).unique().execute();
    await db.schema.createIndex('residents_phone_idx').on('residents').column('phone_hash').execute();
    await db.schema.createIndex('residents_name_idx').on('residents').columns(['name', 'region_code']).execute();
    await db.schema.createIndex('residents_doc_last4_idx').on('residents').columns(['doc_last4', 'region_code']).execute();
    await db.schema.createIndex('residents_phone_last4_idx').on('residents').columns(['phone_last4', 'region_code']).execute();

    await db.schema
      .createTable('resident_tags')
      .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id').onDelete('cascade'))
      .addColumn('tag', 'text', (c) => c.notNull())
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addPrimaryKeyConstraint('resident_tags_pk', ['resident_id', 'tag'])
      .execute();
    await db.schema.createIndex('resident_tags_tag_idx').on('resident_tags').columns(['tag', 'region_code']).execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('node_code', d.codeType(), (c) => c.notNull())
      .addColumn('household_id', 'text', (c) => c.references('households.id').onDelete('restrict'))
      .addColumn('resident_id', 'text', (c) => c.references('residents.id').onDelete('set null'))
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', d.bigint())
      .addColumn('last_login_at', d.bigint())
      .addColumn('password_changed_at', d.bigint(), (c) => c.notNull())
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('users_node_idx').on('users').column('node_code').execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('last_seen_at', d.bigint(), (c) => c.notNull())
      .addColumn('expires_at', d.bigint(), (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .execute();
    await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

    await db.schema
      .createTable('audit_events')
      .addColumn('id', d.serialPrimaryKey())
      .addColumn('seq', d.bigint(), (c) => c.notNull().unique())
      .addColumn('at', d.bigint(), (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text')
      .addColumn('actor_role', 'text')
      .addColumn('actor_node', d.codeType())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text')
      .addColumn('region_code', d.codeType())
      .addColumn('purpose', 'text')
      .addColumn('diff', 'text')
      .addColumn('ip', 'text')
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_events_region_idx').on('audit_events').columns(['region_code', 'seq']).execute();
    await db.schema.createIndex('audit_events_entity_idx').on('audit_events').columns(['entity_type', 'entity_id']).execute();
  },
};
