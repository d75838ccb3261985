import { sql, type Kysely } from 'kysely';

/**
 * R11: customer e-mails.
 * - channels: `customer_emails` (null: on for webshop and B2B channels, off for marketplaces);
 * - organisations: the From and Reply-To addresses of the merchant's mails;
 * - customer_messages: every message, whether sent over SMTP or only written to this log, with
 *   its RFC 5322 Message-ID; one per (event, kind), so the same change never makes two.
 *   queued → sending → committing → sent (see customer-messages.service: `committing` is written
 *   just before the SMTP end-of-data, so a worker's death is never ambiguous); a failed attempt
 *   goes back to queued until it runs out of time (failed); `unknown` when the connection broke
 *   after the end of data without an answer; `logged` when no SMTP server is configured.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channels').addColumn('customer_emails', 'integer').execute();
  await db.schema.alterTable('organisations').addColumn('email_from', 'text').execute();
  await db.schema.alterTable('organisations').addColumn('email_reply_to', 'text').execute();
  await db.schema
    .createTable('customer_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'sending', 'committing', 'sent', 'failed', 'unknown', 'logged')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('customer_messages_once', ['event_id', 'kind'])
    .execute();
  await db.schema.createIndex('customer_messages_order').on('customer_messages').columns(['org_id', 'order_id', 'created_at']).execute();
  await db.schema.createIndex('customer_messages_due').on('customer_messages').columns(['status', 'next_attempt_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_messages').execute();
  await db.schema.alterTable('organisations').dropColumn('email_reply_to').execute();
  await db.schema.alterTable('organisations').dropColumn('email_from').execute();
  await db.schema.alterTable('channels').dropColumn('customer_emails').execute();
}
