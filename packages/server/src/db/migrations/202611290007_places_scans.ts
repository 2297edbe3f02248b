import { sql } from 'kysely';
import type { GridlineMigration } from '../migrate.js';

/**
 * Places and their codes, visitors, scans (the high-volume table), personal-code nonces, checkpoint decisions,
 * passage exemptions, gate devices with their idempotency receipts and rejected items.
 *
 * Scans are written in bulk and read by place and by person within a time range (tracing), so they carry an
 * integer key, epoch-ms `at`, the two (…, at) indexes those reads need and nothing else; they have no foreign
 * keys (each would be a lookup per inserted row; places are never deleted, only deactivated, and a scan is a
 * historical fact that outlives a resident's removal). On PostgreSQL the table is partitioned by month of `at`.
 */
export const migration: GridlineMigration = {
  async up({ db, dialect: d }) {
    await db.schema
      .createTable('places')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('region_code', d.codeType(), (c) => c.notNull().references('region_nodes.code').onDelete('restrict'))
      .addColumn('lat', 'double precision')
      .addColumn('lng', 'double precision')
      .addColumn('checkpoint', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('passage_rules', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('places_region_idx').on('places').columns(['region_code', 'name']).execute();

    await db.schema
      .createTable('visitors')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('phone_enc', 'text', (c) => c.notNull())
      .addColumn('phone_hash', 'text', (c) => c.notNull().unique())
      .addColumn('phone_masked', 'text', (c) => c.notNull())
      .addColumn('phone_last4', 'text', (c) => c.notNull())
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('scans')
      .addColumn('id', d.serialPrimaryKey())
      .addColumn('at', d.bigint(), (c) => c.notNull())
      .addColumn('place_id', 'text', (c) => c.notNull())
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('person_kind', 'text', (c) => c.notNull())
      .addColumn('person_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('temperature_tenths', 'integer')
      .addColumn('fever', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('device_id', 'text')
      .execute();
    await db.schema.createIndex('scans_place_at_idx').on('scans').columns(['place_id', 'at']).execute();
    await db.schema.createIndex('scans_person_at_idx').on('scans').columns(['person_id', 'at']).execute();
    await d.partitionEventTable(db, 'scans');

    await db.schema
      .createTable('personal_code_uses')
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('place_id', 'text', (c) => c.notNull())
      .addColumn('expires_at', d.bigint(), (c) => c.notNull())
      .addPrimaryKeyConstraint('personal_code_uses_pk', ['nonce', 'place_id'])
      .execute();
    await db.schema.createIndex('personal_code_uses_expiry_idx').on('personal_code_uses').column('expires_at').execute();

    await db.schema
      .createTable('checkpoint_decisions')
      .addColumn('id', d.serialPrimaryKey())
      .addColumn('at', d.bigint(), (c) => c.notNull())
      .addColumn('place_id', 'text', (c) => c.notNull().references('places.id').onDelete('restrict'))
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('operator_id', 'text')
      .addColumn('operator_name', 'text', (c) => c.notNull())
      .addColumn('resident_id', 'text')
      .addColumn('person_masked', 'text')
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('checked', 'integer', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('protocol_id', 'text', (c) => c.notNull())
      .addColumn('temperature_tenths', 'integer')
      .addColumn('fever', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('scan_id', d.bigint())
      .addCheckConstraint('checkpoint_decisions_result_ck', sql`result in ('pass','deny','refused')`)
      .execute();
    await db.schema.createIndex('checkpoint_decisions_place_idx').on('checkpoint_decisions').columns(['place_id', 'at']).execute();
    await db.schema.createIndex('checkpoint_decisions_resident_idx').on('checkpoint_decisions').columns(['resident_id', 'at']).execute();

    await db.schema
      .createTable('passage_exemptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id').onDelete('cascade'))
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('valid_from', d.bigint(), (c) => c.notNull())
      .addColumn('valid_until', d.bigint(), (c) => c.notNull())
      .addColumn('approved_by', 'text')
      .addColumn('approved_by_name', 'text', (c) => c.notNull())
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('revoked_at', d.bigint())
      .addColumn('revoked_by', 'text')
      .addColumn('revoke_reason', 'text')
      .addCheckConstraint('passage_exemptions_period_ck', sql`valid_until > valid_from`)
      .execute();
    await db.schema.createIndex('passage_exemptions_resident_idx').on('passage_exemptions').columns(['resident_id', 'valid_until']).execute();
    await db.schema.createIndex('passage_exemptions_region_idx').on('passage_exemptions').columns(['region_code', 'created_at']).execute();

    await db.schema
      .createTable('devices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('place_id', 'text', (c) => c.notNull().references('places.id').onDelete('restrict'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('token_hint', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('accepted_total', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rejected_total', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_seen_at', d.bigint())
      .addColumn('created_by', 'text')
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .execute();
    // A device's jurisdiction is its place's (read through the place, so moving a place moves its devices).
    await db.schema.createIndex('devices_place_idx').on('devices').column('place_id').execute();

    await db.schema
      .createTable('device_receipts')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('item_key', 'text', (c) => c.notNull())
      .addColumn('received_at', d.bigint(), (c) => c.notNull())
      .addPrimaryKeyConstraint('device_receipts_pk', ['device_id', 'item_key'])
      .execute();
    await db.schema.createIndex('device_receipts_received_idx').on('device_receipts').column('received_at').execute();

    await db.schema
      .createTable('device_rejections')
      .addColumn('id', d.serialPrimaryKey())
      .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
      .addColumn('at', d.bigint(), (c) => c.notNull())
      .addColumn('item_key', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('device_rejections_device_idx').on('device_rejections').columns(['device_id', 'at']).execute();
  },
};
