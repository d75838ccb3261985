import type { Kysely } from 'kysely';
import { AppError } from '../domain/app-error.js';
import { groupBy } from '../collections.js';
import { newId } from '../ids.js';
import { isUniqueViolation } from '../store/db.js';
import { appendEvents } from '../store/events.repository.js';
import type { ChannelsTable, Database } from '../store/schema.js';
import type { Caller, Services } from './context.js';
import { requireChannel } from './lookups.js';
import { replanChannel, replanOrganisation } from './promise-replan.js';
import type { ChannelWindow } from '../domain/channel-window.js';
import { channelWindow } from '../store/offer-inputs.repository.js';
import { ensureOfferRows } from '../store/offered-stock.repository.js';
import { queueRecompute } from './offer-recompute.service.js';

/** R7 window as the API takes it: one object, the fields its kind needs. */
export interface WindowInput {
  kind: ChannelWindow['kind'];
  days?: number;
  shipmentDays?: number[];
  cutoffDays?: number;
}

function windowColumns(w: WindowInput) {
  if (w.kind === 'days' && w.days === undefined) {
    throw new AppError('VALIDATION_FAILED', 'A `days` window needs `days` (0 or more).', { field: 'window.days' });
  }
  if (w.kind === 'until_next_shipment' && (w.shipmentDays === undefined || w.shipmentDays.length === 0)) {
    throw new AppError('VALIDATION_FAILED', 'An `until_next_shipment` window needs `shipmentDays` (ISO weekdays, 1 = Monday).', { field: 'window.shipmentDays' });
  }
  return {
    window_kind: w.kind,
    window_days: w.kind === 'days' ? w.days! : null,
    shipment_days: w.kind === 'until_next_shipment' ? JSON.stringify([...new Set(w.shipmentDays)].sort()) : null,
    cutoff_days: w.cutoffDays ?? 1,
  };
}

/**
 * R7: the explicit shares of the channels a location serves may add up to at most 1 (shares
 * divide each line's capacity among the channels its location serves). Checked with the
 * organisation row locked, so two processes changing two channels' shares cannot both pass.
 */
async function checkShares(tx: Kysely<Database>, dialect: string, orgId: string) {
  if (dialect === 'postgres') await tx.selectFrom('organisations').select('id').where('id', '=', orgId).forUpdate().execute();
  const rows = await tx
    .selectFrom('channels as c')
    .innerJoin('channel_locations as cl', 'cl.channel_id', 'c.id')
    .innerJoin('locations as l', 'l.id', 'cl.location_id')
    .select(['c.code', 'c.share', 'l.code as location'])
    .where('c.org_id', '=', orgId)
    .where('c.share', 'is not', null)
    .execute();
  for (const [location, shares] of groupBy(rows, (r) => r.location)) {
    const total = shares.reduce((a, r) => a + Number(r.share), 0);
    if (total > 1 + 1e-9) {
      throw new AppError('SHARES_OVER_ONE', `The channels selling from ${location} have shares adding up to ${Math.round(total * 1000) / 1000}; at most 1.`, {
        location,
        shares: Object.fromEntries(shares.map((r) => [r.code, Number(r.share)])),
      });
    }
  }
}

export interface ChannelInput {
  code: string;
  name: string;
  kind: ChannelsTable['kind'];
  acceptsBackorders?: boolean;
  priority?: number;
  /** Location codes the channel sells from, in the order stock is taken (R3). */
  locations: string[];
  window?: WindowInput;
  share?: number | null;
  safetyBuffer?: number | null;
  customerEmails?: boolean | null;
}

export interface ChannelView {
  code: string;
  name: string;
  kind: ChannelsTable['kind'];
  acceptsBackorders: boolean;
  priority: number;
  locations: string[];
  /** R7: how far ahead incoming stock is sold here. */
  window: ChannelWindow;
  share: number | null;
  safetyBuffer: number | null;
  /** R11: whether this channel's customers get e-mails (null in the request: by the channel's kind). */
  customerEmails: boolean;
  createdAt: string;
  updatedAt: string;
}

export async function createChannel(services: Services, caller: Caller, input: ChannelInput): Promise<ChannelView> {
  return services.store.transact(async (tx) => {
    const at = services.now().toISOString();
    const id = newId('chn');
    try {
      await tx
        .insertInto('channels')
        .values({
          id,
          org_id: caller.orgId,
          code: input.code,
          name: input.name,
          kind: input.kind,
          accepts_backorders: input.acceptsBackorders ? 1 : 0,
          priority: input.priority ?? 0,
          ...windowColumns(input.window ?? { kind: 'none' }),
          share: input.share ?? null,
          safety_buffer: input.safetyBuffer ?? null,
          customer_emails: input.customerEmails === undefined || input.customerEmails === null ? null : input.customerEmails ? 1 : 0,
          created_at: at,
          updated_at: at,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('DUPLICATE_CODE', `A channel with code '${input.code}' exists already.`, { code: input.code });
      throw err;
    }
    await setChannelLocations(tx, caller.orgId, id, input.locations);
    if (input.share !== undefined && input.share !== null) await checkShares(tx, services.store.dialect, caller.orgId);
    // R7: a new channel takes its part of every SKU's incoming (default shares) and sells from its locations.
    await ensureOfferRows(tx, services.store.dialect, caller.orgId, at, { channelId: id });
    await queueRecompute(tx, caller.orgId, `channel ${input.code} created`, at);
    const view = await viewChannel(tx, caller.orgId, input.code);
    await appendEvents(tx, services.store.dialect, caller.orgId, at, [
      { type: 'channel.created', subjectType: 'channel', subjectId: input.code, payload: { ...view, by: caller.keyId } },
    ]);
    return view;
  });
}

export async function updateChannel(
  services: Services,
  caller: Caller,
  code: string,
  patch: Partial<Omit<ChannelInput, 'code' | 'kind'>>,
): Promise<ChannelView> {
  return services.store.transact(async (tx) => {
    const current = await requireChannel(tx, caller.orgId, code, 'path');
    await tx
      .updateTable('channels')
      .set({
        name: patch.name ?? current.name,
        accepts_backorders: patch.acceptsBackorders === undefined ? current.accepts_backorders : patch.acceptsBackorders ? 1 : 0,
        priority: patch.priority ?? current.priority,
        ...(patch.window ? windowColumns(patch.window) : {}),
        ...(patch.share !== undefined ? { share: patch.share } : {}),
        ...(patch.safetyBuffer !== undefined ? { safety_buffer: patch.safetyBuffer } : {}),
        ...(patch.customerEmails !== undefined ? { customer_emails: patch.customerEmails === null ? null : patch.customerEmails ? 1 : 0 } : {}),
        updated_at: services.now().toISOString(),
      })
      .where('id', '=', current.id)
      .execute();
    if (patch.locations) await setChannelLocations(tx, caller.orgId, current.id, patch.locations);
    if (patch.share !== undefined || patch.locations !== undefined) await checkShares(tx, services.store.dialect, caller.orgId);
    const view = await viewChannel(tx, caller.orgId, code);
    const at = services.now().toISOString();
    // Shares and the backorder switch divide every SKU's incoming among the channels (R7): the
    // whole organisation's promises are re-planned. Eligibility (locations) and channel_priority
    // decide promises of this channel's orders (R3, R6).
    const sharesMoved = patch.share !== undefined || (patch.acceptsBackorders !== undefined && (patch.acceptsBackorders ? 1 : 0) !== current.accepts_backorders) || patch.locations !== undefined;
    const promiseEvents = sharesMoved
      ? await replanOrganisation(tx, services.store.dialect, caller.orgId, at)
      : patch.priority !== undefined
        ? await replanChannel(tx, services.store.dialect, caller.orgId, current.id, at)
        : [];
    if (sharesMoved || patch.window || patch.safetyBuffer !== undefined) await queueRecompute(tx, caller.orgId, `channel ${code} changed`, at);
    await appendEvents(tx, services.store.dialect, caller.orgId, at, [
      { type: 'channel.updated', subjectType: 'channel', subjectId: code, payload: { code, changes: patch, by: caller.keyId } },
      ...promiseEvents,
    ]);
    return view;
  });
}

async function setChannelLocations(tx: Kysely<Database>, orgId: string, channelId: string, codes: readonly string[]) {
  if (new Set(codes).size !== codes.length) {
    throw new AppError('VALIDATION_FAILED', 'A location may appear only once in a channel.', { field: 'locations' });
  }
  const rows = codes.length
    ? await tx.selectFrom('locations').select(['id', 'code']).where('org_id', '=', orgId).where('code', 'in', codes).execute()
    : [];
  const idOf = new Map(rows.map((r) => [r.code, r.id]));
  const unknown = codes.filter((c) => !idOf.has(c));
  if (unknown.length) throw new AppError('UNKNOWN_LOCATION', `Unknown location: ${unknown.join(', ')}.`, { locations: unknown });
  await tx.deleteFrom('channel_locations').where('channel_id', '=', channelId).execute();
  if (codes.length) {
    await tx
      .insertInto('channel_locations')
      .values(codes.map((c, i) => ({ org_id: orgId, channel_id: channelId, location_id: idOf.get(c)!, position: i })))
      .execute();
  }
}

async function viewChannel(db: Kysely<Database>, orgId: string, code: string): Promise<ChannelView> {
  const [view] = await listChannelViews(db, orgId, code);
  if (!view) throw new AppError('NOT_FOUND', `Unknown channel: ${code}.`, { channel: code });
  return view;
}

export async function listChannelViews(db: Kysely<Database>, orgId: string, code?: string): Promise<ChannelView[]> {
  let q = db.selectFrom('channels').selectAll().where('org_id', '=', orgId);
  if (code !== undefined) q = q.where('code', '=', code);
  const channels = await q.orderBy('code').execute();
  if (channels.length === 0) return [];
  const links = await db
    .selectFrom('channel_locations as cl')
    .innerJoin('locations as l', 'l.id', 'cl.location_id')
    .select(['cl.channel_id', 'l.code'])
    .where('cl.channel_id', 'in', channels.map((c) => c.id))
    .orderBy('cl.channel_id')
    .orderBy('cl.position')
    .execute();
  return channels.map((c) => ({
    code: c.code,
    name: c.name,
    kind: c.kind,
    acceptsBackorders: c.accepts_backorders === 1,
    priority: c.priority,
    locations: links.filter((l) => l.channel_id === c.id).map((l) => l.code),
    window: channelWindow(c),
    share: c.share === null ? null : Number(c.share),
    safetyBuffer: c.safety_buffer,
    customerEmails: c.customer_emails === null ? c.kind === 'webshop' || c.kind === 'b2b' : c.customer_emails === 1,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  }));
}

export async function getChannel(services: Services, caller: Caller, code: string) {
  return viewChannel(services.store.db, caller.orgId, code);
}
