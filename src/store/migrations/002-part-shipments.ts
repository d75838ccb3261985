import type { Kysely } from 'kysely';

/** R4/R17: a shipped part records when, with which carrier and under which tracking number. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('order_parts').addColumn('shipped_at', 'text').execute();
  await db.schema.alterTable('order_parts').addColumn('carrier', 'text').execute();
  await db.schema.alterTable('order_parts').addColumn('tracking_number', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['shipped_at', 'carrier', 'tracking_number']) {
    await db.schema.alterTable('order_parts').dropColumn(column).execute();
  }
}
