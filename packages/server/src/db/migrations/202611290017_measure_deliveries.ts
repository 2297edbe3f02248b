import { sql } from 'kysely';
import type { GridlineMigration } from '../migrate.js';

/**
 * How each isolation notice or release certificate was delivered (issue #7): viewed in the portal (recorded by
 * the portal the first time the person opens it), handed over and signed, posted, or told by SMS or phone — by
 * whom and when. One row per measure × document × channel: recording it again (a second tap, a bulk run that
 * overlaps) changes nothing, and the portal's first view stays the first.
 */
export const migration: GridlineMigration = {
  async up({ db, dialect: d }) {
    await db.schema
      .createTable('measure_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('measure_id', 'text', (c) => c.notNull().references('measures.id').onDelete('restrict'))
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('delivered_at', d.bigint(), (c) => c.notNull())
      .addColumn('recorded_by', 'text')
      .addColumn('recorded_by_name', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addCheckConstraint('measure_deliveries_document_ck', sql`document in ('notice','release')`)
      .addCheckConstraint('measure_deliveries_channel_ck', sql`channel in ('portal','in_person','posted','sms_phone')`)
      .addUniqueConstraint('measure_deliveries_once_uq', ['measure_id', 'document', 'channel'])
      .execute();
    // The compliance view counts notices without a delivery per community.
    await db.schema.createIndex('measure_deliveries_region_idx').on('measure_deliveries').columns(['region_code', 'document']).execute();
  },
};
