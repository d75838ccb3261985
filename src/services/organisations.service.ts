import { queueRecompute } from './offer-recompute.service.js';
import { alertSettingsColumns, alertSettingsOf, type AlertSettingsPatch, type AlertSettingsView } from './alert-settings.js';
import { DEFAULT_POLICY, DEFAULT_TIER_ORDER, type AllocationRule } from '../domain/allocation-policy.js';
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../domain/app-error.js';
import { newId } from '../ids.js';
import { isUniqueViolation, type Store } from '../store/db.js';
import { appendEvents } from '../store/events.repository.js';
import { run } from '../store/precompiled.js';
import type { ApiKeysTable, Database } from '../store/schema.js';
import type { Caller, Role, Services } from './context.js';
import { replanOrganisation } from './promise-replan.js';
import { toSeason } from '../store/offer-inputs.repository.js';

/** Keys look like `sb_` + 40 base62-ish characters; only their SHA-256 is stored. */
const KEY_PREFIX = 'sb_';
const KEY_PATTERN = /^sb_[A-Za-z0-9_-]{40}$/;

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function generateKey(): string {
  return KEY_PREFIX + randomBytes(30).toString('base64url');
}

export interface CreatedKey {
  id: string;
  name: string;
  role: Role;
  /** Shown once; never stored. */
  key: string;
  prefix: string;
  createdAt: string;
}

export async function insertApiKey(db: Kysely<Database>, orgId: string, name: string, role: Role, at: string): Promise<CreatedKey> {
  const key = generateKey();
  const row: ApiKeysTable = {
    id: newId('key'),
    org_id: orgId,
    name,
    prefix: key.slice(0, 10),
    key_hash: hashKey(key),
    role,
    created_at: at,
    revoked_at: null,
  };
  await db.insertInto('api_keys').values(row).execute();
  return { id: row.id, name, role, key, prefix: row.prefix, createdAt: at };
}

/** `stockbridge init`: a new organisation (tenant) and its first admin key. */
export async function createOrganisation(store: Store, name: string, now: Date = new Date()) {
  const at = now.toISOString();
  return store.transact(async (tx) => {
    const orgId = newId('org');
    await tx
      .insertInto('organisations')
      .values({
        id: orgId,
        name,
        currency: 'EUR',
        backorders_enabled: 0,
        acceptance_ratio: 0.75,
        default_safety_buffer: 0,
        allocation_policy: JSON.stringify(DEFAULT_POLICY),
        tier_order: JSON.stringify(DEFAULT_TIER_ORDER),
        preorder_days: 30,
        erratic_ratio_factor: 0.67,
        capped_sales_days: 3,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const key = await insertApiKey(tx, orgId, 'first admin key', 'admin', at);
    return { orgId, name, adminKey: key };
  });
}

/** Unknown, revoked and malformed keys are indistinguishable to the caller. */
/**
 * Valid keys are remembered for a second per process, so a busy client does not cost a query
 * per request. Revoking a key forgets it at once in the process that revoked it; other API
 * processes stop accepting it within AUTH_CACHE_MS. Unknown keys are never cached.
 */
const AUTH_CACHE_MS = 1000;
const AUTH_CACHE_MAX = 10_000;
const authCache = new WeakMap<Store, Map<string, { caller: Caller; until: number }>>();

export async function authenticate(store: Store, token: string | undefined): Promise<Caller> {
  if (!token || !KEY_PATTERN.test(token)) throw unauthenticated();
  const hash = hashKey(token);
  let cache = authCache.get(store);
  if (!cache) authCache.set(store, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(hash);
  if (hit && hit.until > now) return hit.caller;
  const { rows } = await run<Pick<ApiKeysTable, 'id' | 'org_id' | 'role' | 'revoked_at'>>(
    store.db,
    store.dialect,
    'select id, org_id, role, revoked_at from api_keys where key_hash = ?',
    [hash],
  );
  const row = rows[0];
  if (!row || row.revoked_at !== null) {
    cache.delete(hash);
    throw unauthenticated();
  }
  const caller: Caller = { orgId: row.org_id, role: row.role, keyId: row.id };
  if (cache.size >= AUTH_CACHE_MAX) cache.clear();
  cache.set(hash, { caller, until: now + AUTH_CACHE_MS });
  return caller;
}

function forgetKey(store: Store, keyId: string) {
  const cache = authCache.get(store);
  if (!cache) return;
  for (const [hash, entry] of cache) if (entry.caller.keyId === keyId) cache.delete(hash);
}

function unauthenticated() {
  return new AppError('UNAUTHENTICATED', 'A valid API key is required: Authorization: Bearer <key>.');
}

export async function createApiKey(services: Services, caller: Caller, name: string, role: Role) {
  const at = services.now().toISOString();
  return services.store.transact(async (tx) => {
    const key = await insertApiKey(tx, caller.orgId, name, role, at);
    await appendEvents(tx, services.store.dialect, caller.orgId, at, [
      { type: 'api_key.created', subjectType: 'api_key', subjectId: key.id, payload: { id: key.id, name, role, by: caller.keyId } },
    ]);
    return key;
  });
}

export function toKeyView(k: Pick<ApiKeysTable, 'id' | 'name' | 'role' | 'prefix' | 'created_at' | 'revoked_at'>) {
  return { id: k.id, name: k.name, role: k.role, prefix: k.prefix, createdAt: k.created_at, revokedAt: k.revoked_at };
}

export async function listApiKeys(services: Services, caller: Caller) {
  const rows = await services.store.db
    .selectFrom('api_keys')
    .select(['id', 'name', 'role', 'prefix', 'created_at', 'revoked_at'])
    .where('org_id', '=', caller.orgId)
    .orderBy('id')
    .execute();
  return rows.map(toKeyView);
}

/**
 * Revokes a key. The last active admin key of an organisation cannot be revoked: nobody could
 * manage the organisation any more. (Serialised per organisation: two concurrent revokes of its
 * last two admin keys cannot both pass.)
 */
export async function revokeApiKey(services: Services, caller: Caller, id: string) {
  const at = services.now().toISOString();
  const { store } = services;
  const row = await store.transact(async (tx) => {
    if (store.dialect === 'postgres') {
      await tx.selectFrom('organisations').select('id').where('id', '=', caller.orgId).forUpdate().execute();
    }
    const key = await tx
      .selectFrom('api_keys')
      .select(['role'])
      .where('org_id', '=', caller.orgId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!key) throw new AppError('NOT_FOUND', `No active API key with id '${id}'.`);
    if (key.role === 'admin') {
      const { n } = await tx
        .selectFrom('api_keys')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('org_id', '=', caller.orgId)
        .where('role', '=', 'admin')
        .where('revoked_at', 'is', null)
        .executeTakeFirstOrThrow();
      if (Number(n) <= 1) {
        throw new AppError('LAST_ADMIN_KEY', 'This is the last active admin key of the organisation; create another admin key before revoking it.');
      }
    }
    const revoked = await tx
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('org_id', '=', caller.orgId)
      .where('id', '=', id)
      .returning(['id', 'name', 'role', 'prefix', 'created_at', 'revoked_at'])
      .executeTakeFirstOrThrow();
    await appendEvents(tx, store.dialect, caller.orgId, at, [
      { type: 'api_key.revoked', subjectType: 'api_key', subjectId: id, payload: { id, name: revoked.name, role: revoked.role, by: caller.keyId } },
    ]);
    return revoked;
  });
  forgetKey(store, id);
  return toKeyView(row);
}

/** Finds an organisation by id or by its (unique) name, for the CLI. */
export async function findOrganisation(store: Store, idOrName: string) {
  const rows = await store.db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
    .execute();
  if (rows.length === 0) throw new Error(`No organisation with id or name '${idOrName}'.`);
  if (rows.length > 1) throw new Error(`Several organisations are named '${idOrName}': ${rows.map((r) => r.id).join(', ')}; use the id.`);
  return rows[0]!;
}

export interface SettingsView extends AlertSettingsView {
  organisation: string;
  currency: string;
  backordersEnabled: boolean;
  acceptanceRatio: number;
  defaultSafetyBuffer: number;
  /** R6: rules applied in order when received or freed units go to waiting orders. */
  allocationPolicy: AllocationRule[];
  /** R6 customer_tier: tiers served first to last; unlisted tiers come after. */
  customerTierOrder: string[];
  /** R14: days before a purchase order's effective arrival that pre-orders open. */
  preorderDays: number;
  /** R8: an erratic supplier's lines take the acceptance ratio times this. */
  erraticRatioFactor: number;
  /** R8: days of sales that lines of new and erratic suppliers may offer; null: no cap. */
  cappedSalesDays: number | null;
  /** R15: the season calendar. */
  seasons: SeasonView[];
  /** R11: From and Reply-To of customer e-mails. */
  emailFrom: string | null;
  emailReplyTo: string | null;
  updatedAt: string;
}

export interface SeasonView {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string;
  acceptanceRatio: number | null;
  windowMultiplier: number;
}

/** Who the key belongs to and what it may do: the dashboard shows the name and hides writes a key may not make. */
export async function describeCaller(services: Services, caller: Caller) {
  const row = await services.store.db
    .selectFrom('api_keys as k')
    .innerJoin('organisations as o', 'o.id', 'k.org_id')
    .select(['o.id as org_id', 'o.name as org_name', 'k.id', 'k.name', 'k.role', 'k.prefix'])
    .where('k.id', '=', caller.keyId)
    .where('k.org_id', '=', caller.orgId)
    .executeTakeFirstOrThrow();
  return {
    organisation: { id: row.org_id, name: row.org_name },
    key: { id: row.id, name: row.name, role: row.role, prefix: row.prefix },
  };
}

export async function getSettings(services: Services, caller: Caller): Promise<SettingsView> {
  const o = await services.store.db.selectFrom('organisations').selectAll().where('id', '=', caller.orgId).executeTakeFirstOrThrow();
  return {
    organisation: o.name,
    currency: o.currency,
    backordersEnabled: o.backorders_enabled === 1,
    acceptanceRatio: o.acceptance_ratio,
    defaultSafetyBuffer: o.default_safety_buffer,
    allocationPolicy: JSON.parse(o.allocation_policy) as AllocationRule[],
    customerTierOrder: JSON.parse(o.tier_order) as string[],
    preorderDays: o.preorder_days,
    erraticRatioFactor: Number(o.erratic_ratio_factor),
    cappedSalesDays: o.capped_sales_days === null ? null : Number(o.capped_sales_days),
    emailFrom: o.email_from,
    emailReplyTo: o.email_reply_to,
    ...alertSettingsOf(o),
    seasons: (await services.store.db.selectFrom('seasons').selectAll().where('org_id', '=', caller.orgId).orderBy('starts_on').orderBy('name').execute()).map(toSeason),
    updatedAt: o.updated_at,
  };
}

/** R15: adds a season to the calendar; its ratio and window multiplier apply on its days. */
export async function createSeason(
  services: Services,
  caller: Caller,
  input: { name: string; startsOn: string; endsOn: string; acceptanceRatio?: number | null; windowMultiplier?: number },
): Promise<SeasonView> {
  for (const [field, date] of [['startsOn', input.startsOn], ['endsOn', input.endsOn]] as const) {
    if (Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
      throw new AppError('VALIDATION_FAILED', `${field} is not a calendar date: ${date}.`, { field });
    }
  }
  if (input.endsOn < input.startsOn) {
    throw new AppError('INVALID_SEASON', `A season ends on or after the day it starts (${input.startsOn} to ${input.endsOn}).`, { startsOn: input.startsOn, endsOn: input.endsOn });
  }
  const at = services.now().toISOString();
  const id = newId('ssn');
  try {
    await services.store.transact(async (tx) => {
      await tx
        .insertInto('seasons')
        .values({ id, org_id: caller.orgId, name: input.name, starts_on: input.startsOn, ends_on: input.endsOn, acceptance_ratio: input.acceptanceRatio ?? null, window_multiplier: input.windowMultiplier ?? 1, created_at: at })
        .execute();
      await seasonChanged(services, tx, caller, at, { type: 'season.created', id, ...input });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('DUPLICATE_SEASON', `A season named '${input.name}' exists already.`, { name: input.name });
    throw err;
  }
  return toSeason((await services.store.db.selectFrom('seasons').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
}

export async function deleteSeason(services: Services, caller: Caller, id: string): Promise<void> {
  const at = services.now().toISOString();
  await services.store.transact(async (tx) => {
    const r = await tx.deleteFrom('seasons').where('org_id', '=', caller.orgId).where('id', '=', id).executeTakeFirst();
    if (r.numDeletedRows !== 1n) throw new AppError('NOT_FOUND', `No season ${id}.`);
    await seasonChanged(services, tx, caller, at, { type: 'season.deleted', id });
  });
}

/** A season's ratio changes capacities (promises re-planned now) and its multiplier the windows (offers in the background). */
async function seasonChanged(services: Services, tx: Kysely<Database>, caller: Caller, at: string, payload: Record<string, unknown> & { type: string; id: string }) {
  const { type, ...rest } = payload;
  await appendEvents(tx, services.store.dialect, caller.orgId, at, [
    { type, subjectType: 'organisation', subjectId: caller.orgId, payload: { ...rest, by: caller.keyId } },
    ...(await replanOrganisation(tx, services.store.dialect, caller.orgId, at)),
  ]);
  await queueRecompute(tx, caller.orgId, type, at);
}


export async function updateSettings(
  services: Services,
  caller: Caller,
  patch: {
    backordersEnabled?: boolean;
    acceptanceRatio?: number;
    defaultSafetyBuffer?: number;
    organisation?: string;
    allocationPolicy?: AllocationRule[];
    customerTierOrder?: string[];
    preorderDays?: number;
    erraticRatioFactor?: number;
    cappedSalesDays?: number | null;
    emailFrom?: string | null;
    emailReplyTo?: string | null;
  } & AlertSettingsPatch,
): Promise<SettingsView> {
  const at = services.now().toISOString();
  const repeated = (list: readonly string[] | undefined) => list !== undefined && new Set(list).size !== list.length;
  if (repeated(patch.allocationPolicy) || repeated(patch.customerTierOrder)) {
    throw new AppError('VALIDATION_FAILED', 'allocationPolicy and customerTierOrder may not name an entry twice.');
  }
  await services.store.transact(async (tx) => {
    await tx
      .updateTable('organisations')
      .set({
        ...(patch.organisation !== undefined ? { name: patch.organisation } : {}),
        ...(patch.backordersEnabled !== undefined ? { backorders_enabled: patch.backordersEnabled ? 1 : 0 } : {}),
        ...(patch.acceptanceRatio !== undefined ? { acceptance_ratio: patch.acceptanceRatio } : {}),
        ...(patch.defaultSafetyBuffer !== undefined ? { default_safety_buffer: patch.defaultSafetyBuffer } : {}),
        ...(patch.allocationPolicy !== undefined ? { allocation_policy: JSON.stringify(patch.allocationPolicy) } : {}),
        ...(patch.customerTierOrder !== undefined ? { tier_order: JSON.stringify(patch.customerTierOrder) } : {}),
        ...(patch.preorderDays !== undefined ? { preorder_days: patch.preorderDays } : {}),
        ...(patch.erraticRatioFactor !== undefined ? { erratic_ratio_factor: patch.erraticRatioFactor } : {}),
        ...(patch.cappedSalesDays !== undefined ? { capped_sales_days: patch.cappedSalesDays } : {}),
        ...(patch.emailFrom !== undefined ? { email_from: patch.emailFrom } : {}),
        ...(patch.emailReplyTo !== undefined ? { email_reply_to: patch.emailReplyTo } : {}),
        ...alertSettingsColumns(patch),
        updated_at: at,
      })
      .where('id', '=', caller.orgId)
      .execute();
    await appendEvents(tx, services.store.dialect, caller.orgId, at, [{ type: 'settings.updated', subjectType: 'organisation', subjectId: caller.orgId, payload: patch }]);
    // Who is promised what depends on the policy and on every line's capacity (R3, R6, R7, R8).
    const capacity = patch.acceptanceRatio !== undefined || patch.erraticRatioFactor !== undefined || patch.cappedSalesDays !== undefined;
    if (patch.allocationPolicy !== undefined || patch.customerTierOrder !== undefined || capacity) {
      await appendEvents(tx, services.store.dialect, caller.orgId, at, await replanOrganisation(tx, services.store.dialect, caller.orgId, at));
    }
    // What every channel may sell of every SKU (R1, R7, R14): recomputed in the background.
    if (capacity || patch.backordersEnabled !== undefined || patch.defaultSafetyBuffer !== undefined || patch.preorderDays !== undefined) {
      await queueRecompute(tx, caller.orgId, 'settings changed', at);
    }
  });
  return getSettings(services, caller);
}
