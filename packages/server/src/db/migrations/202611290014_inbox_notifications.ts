import type { GridlineMigration } from '../migrate.js';

/**
 * Notifications, the one inbox and direct upward reports (issue #8, part 2).
 * - notifications: one in-app row per recipient (read_at null = unread); notification_settings: a user's email.
 * - webhook_subscriptions / webhook_deliveries / webhook_attempts: outgoing webhooks; a delivery stays pending
 *   with its next attempt time until it succeeds or runs out of attempts, so retries survive a restart.
 * - inbox_items: everything that reaches the community from any channel; (channel, external_id) is unique
 *   (NULLs are distinct on both databases, so items without an external id never collide).
 * - inbox_rules: editable Chinese keyword rules that classify items into whistle categories.
 * - inbox_tokens: bearer tokens of the 12345 hotline system and chat robots pushing into the inbox.
 * - direct_reports: 直报, written once and never updated except for its read receipt.
 */
export const migration: GridlineMigration = {
  async up({ db, dialect: d }) {
    await db.schema
      .createTable('notifications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('link', 'text')
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('read_at', d.bigint())
      .execute();
    await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'created_at']).execute();

    await db.schema
      .createTable('notification_settings')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('email', 'text')
      .addColumn('email_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('webhook_subscriptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('node_code', d.codeType(), (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('secret_enc', 'text', (c) => c.notNull())
      .addColumn('kinds', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_by', 'text')
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('webhook_subscriptions_node_idx').on('webhook_subscriptions').column('node_code').execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subscription_id', 'text', (c) => c.notNull().references('webhook_subscriptions.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', d.bigint())
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('delivered_at', d.bigint())
      .execute();
    await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('webhook_deliveries_sub_idx').on('webhook_deliveries').columns(['subscription_id', 'created_at']).execute();

    await db.schema
      .createTable('webhook_attempts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('at', d.bigint(), (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('error', 'text')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('webhook_attempts_delivery_idx').on('webhook_attempts').columns(['delivery_id', 'attempt']).execute();

    await db.schema
      .createTable('inbox_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text')
      .addColumn('received_at', d.bigint(), (c) => c.notNull())
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('reporter_name_enc', 'text')
      .addColumn('reporter_name_masked', 'text')
      .addColumn('reporter_phone_enc', 'text')
      .addColumn('reporter_phone_hash', 'text')
      .addColumn('reporter_phone_masked', 'text')
      .addColumn('resident_id', 'text')
      .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('text_key', 'text', (c) => c.notNull())
      .addColumn('requested_category', 'text')
      .addColumn('category', 'text')
      .addColumn('urgency', 'text', (c) => c.notNull().defaultTo('daily'))
      .addColumn('rule_id', 'text')
      .addColumn('rule_name', 'text')
      .addColumn('matched', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('confidence', 'text', (c) => c.notNull().defaultTo('none'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('duplicate_of', 'text')
      .addColumn('whistle_id', 'text')
      .addColumn('whistle_no', 'text')
      .addColumn('department_id', 'text')
      .addColumn('deadline_at', d.bigint())
      .addColumn('meta', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('photo', 'text')
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('handled_by', 'text')
      .addColumn('handled_at', d.bigint())
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('inbox_items_channel_ext_uq').on('inbox_items').columns(['channel', 'external_id']).unique().execute();
    await db.schema.createIndex('inbox_items_region_idx').on('inbox_items').columns(['region_code', 'received_at']).execute();
    // Dedupe by text: the same normalised text from the same phone within 24 hours.
    await db.schema.createIndex('inbox_items_text_key_idx').on('inbox_items').columns(['text_key', 'received_at']).execute();

    await db.schema
      .createTable('inbox_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('node_code', d.codeType(), (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('urgency', 'text', (c) => c.notNull().defaultTo('daily'))
      .addColumn('keywords', 'text', (c) => c.notNull())
      .addColumn('min_hits', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('auto_route', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(100))
      .addColumn('created_by', 'text')
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('inbox_rules_node_idx').on('inbox_rules').column('node_code').execute();

    await db.schema
      .createTable('inbox_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('node_code', d.codeType(), (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_by', 'text')
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('last_used_at', d.bigint())
      .execute();

    await db.schema
      .createTable('direct_reports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('sender_id', 'text', (c) => c.notNull())
      .addColumn('sender_name', 'text', (c) => c.notNull())
      .addColumn('sender_role', 'text', (c) => c.notNull())
      .addColumn('sender_node', d.codeType(), (c) => c.notNull())
      .addColumn('target_node', d.codeType(), (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('sent_at', d.bigint(), (c) => c.notNull())
      .addColumn('delivered_at', d.bigint(), (c) => c.notNull())
      .addColumn('read_at', d.bigint())
      .addColumn('read_by_id', 'text')
      .addColumn('read_by_name', 'text')
      .execute();
    await db.schema.createIndex('direct_reports_sender_idx').on('direct_reports').columns(['sender_id', 'sent_at']).execute();
    await db.schema.createIndex('direct_reports_target_idx').on('direct_reports').columns(['target_node', 'sent_at']).execute();
  },
};
