import type { Kysely } from 'kysely';
import { gradeDropped } from '../domain/alert-conditions.js';
import type { Reliability, SupplierGrade } from '../domain/supplier-reliability.js';
import { dedupeKey } from '../store/alerts.repository.js';
import type { Dialect } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { raise, resolve } from './alerts.service.js';

/**
 * R8, R10, in the receipt's transaction: a first receipt that makes the supplier's grade worse
 * raises `supplier_grade_dropped`; one that makes it better again resolves it.
 */
export async function supplierGradeChanged(
  tx: Kysely<Database>,
  dialect: Dialect,
  orgId: string,
  at: string,
  supplier: { id: string; purchaseOrder: string },
  before: SupplierGrade,
  after: Reliability,
): Promise<void> {
  if (gradeDropped(before, after.grade)) {
    const { name } = await tx.selectFrom('suppliers').select('name').where('id', '=', supplier.id).executeTakeFirstOrThrow();
    const pct = after.onTimeRate === null ? '–' : `${Math.round(after.onTimeRate * 100)} %`;
    await raise(tx, dialect, orgId, at, {
      type: 'supplier_grade_dropped',
      subjectType: 'supplier',
      subjectId: supplier.id,
      message: `Supplier ${name} dropped from ${before} to ${after.grade} after purchase order ${supplier.purchaseOrder}: on time ${pct}, delay sd ${after.stdDevDays ?? '–'} days over ${after.deliveries} deliveries. Its lines now offer less (R8).`,
      details: { supplier: name, from: before, to: after.grade, purchaseOrder: supplier.purchaseOrder, deliveries: after.deliveries, onTimeRate: after.onTimeRate, stdDevDays: after.stdDevDays, p80DelayDays: after.p80DelayDays },
    });
    return;
  }
  if (!gradeDropped(after.grade, before)) return;
  const open = await tx
    .selectFrom('alerts')
    .select(['id', 'org_id', 'type', 'subject_type', 'subject_id'])
    .where('org_id', '=', orgId)
    .where('dedupe_key', '=', dedupeKey('supplier_grade_dropped', 'supplier', supplier.id))
    .where('status', '<>', 'resolved')
    .executeTakeFirst();
  if (open) await resolve(tx, dialect, open, at, 'grade_recovered');
}
