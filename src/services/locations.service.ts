import { AppError } from '../domain/app-error.js';
import { newId } from '../ids.js';
import { isUniqueViolation } from '../store/db.js';
import { appendEvents } from '../store/events.repository.js';
import type { LocationsTable } from '../store/schema.js';
import type { Caller, Services } from './context.js';
import { requireLocation } from './lookups.js';
import { replanLocation } from './promise-replan.js';

export interface LocationInput {
  code: string;
  name: string;
  kind: LocationsTable['kind'];
  country: string;
  latitude?: number | null;
  longitude?: number | null;
  /** Days from the receiving dock to the customer, added to a promise's arrival date (R3). */
  handlingDays?: number;
}

export function toLocationView(l: LocationsTable) {
  return { code: l.code, name: l.name, kind: l.kind, country: l.country, latitude: l.latitude, longitude: l.longitude, handlingDays: l.handling_days, createdAt: l.created_at };
}

export async function createLocation(services: Services, caller: Caller, input: LocationInput) {
  const row: LocationsTable = {
    id: newId('loc'),
    org_id: caller.orgId,
    code: input.code,
    name: input.name,
    kind: input.kind,
    country: input.country.toUpperCase(),
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
    handling_days: input.handlingDays ?? 1,
    created_at: services.now().toISOString(),
  };
  try {
    await services.store.transact(async (tx) => {
      await tx.insertInto('locations').values(row).execute();
      await appendEvents(tx, services.store.dialect, caller.orgId, row.created_at, [
        { type: 'location.created', subjectType: 'location', subjectId: row.code, payload: { ...toLocationView(row), by: caller.keyId } },
      ]);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('DUPLICATE_CODE', `A location with code '${input.code}' exists already.`, { code: input.code });
    throw err;
  }
  return toLocationView(row);
}

/**
 * Renames a location, moves its coordinates (R6 proximity) or changes its handling days; the last
 * two change who is promised what and when against purchase orders arriving there (R3).
 */
export async function updateLocation(
  services: Services,
  caller: Caller,
  code: string,
  patch: { name?: string; latitude?: number | null; longitude?: number | null; handlingDays?: number },
) {
  return services.store.transact(async (tx) => {
    const at = services.now().toISOString();
    const current = await requireLocation(tx, caller.orgId, code, 'path');
    await tx
      .updateTable('locations')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.latitude !== undefined ? { latitude: patch.latitude } : {}),
        ...(patch.longitude !== undefined ? { longitude: patch.longitude } : {}),
        ...(patch.handlingDays !== undefined ? { handling_days: patch.handlingDays } : {}),
      })
      .where('id', '=', current.id)
      .execute();
    const replan = patch.handlingDays !== undefined || patch.latitude !== undefined || patch.longitude !== undefined;
    await appendEvents(tx, services.store.dialect, caller.orgId, at, [
      { type: 'location.updated', subjectType: 'location', subjectId: code, payload: { code, changes: patch, by: caller.keyId } },
      ...(replan ? await replanLocation(tx, services.store.dialect, caller.orgId, current.id, at) : []),
    ]);
    return toLocationView(await requireLocation(tx, caller.orgId, code, 'path'));
  });
}

export async function getLocation(services: Services, caller: Caller, code: string) {
  return toLocationView(await requireLocation(services.store.db, caller.orgId, code, 'path'));
}

export async function listLocations(services: Services, caller: Caller) {
  const rows = await services.store.db.selectFrom('locations').selectAll().where('org_id', '=', caller.orgId).orderBy('code').execute();
  return rows.map(toLocationView);
}
