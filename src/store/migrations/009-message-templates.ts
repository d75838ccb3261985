import { sql, type Kysely } from 'kysely';

/**
 * R11: the merchant's own e-mail templates, one per (organisation, kind, language); a kind and
 * language without a row uses the built-in text. Checked when saved (domain/message-templates).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('message_templates')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('backorder_created', 'preorder_confirmed', 'delayed', 'allocated', 'shipped', 'cancelled')`))
    .addColumn('locale', 'text', (c) => c.notNull().check(sql`locale in ('nl', 'de', 'en')`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_templates_pk', ['org_id', 'kind', 'locale'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('message_templates').execute();
}
