import type { Kysely } from 'kysely';
import { AppError } from '../domain/app-error.js';
import { newId } from '../ids.js';
import { isUniqueViolation } from '../store/db.js';
import { appendEvents } from '../store/events.repository.js';
import type { ChannelsTable, Database } from '../store/schema.js';
import type { Caller, Services } from './context.js';
import { requireChannel } from './lookups.js';
import { replanChannel } from './promise-replan.js';

export interface ChannelInput {
  code: string;
  name: string;
  kind: ChannelsTable['kind'];
  acceptsBackorders?: boolean;
  priority?: number;
  /** Location codes the channel sells from, in the order stock is taken (R3). */
  locations: string[];
}

export interface ChannelView {
  code: string;
  name: string;
  kind: ChannelsTable['kind'];
  acceptsBackorders: boolean;
  priority: number;
  locations: string[];
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
          created_at: at,
          updated_at: at,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('DUPLICATE_CODE', `A channel with code '${input.code}' exists already.`, { code: input.code });
      throw err;
    }
    await setChannelLocations(tx, caller.orgId, id, input.locations);
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
        updated_at: services.now().toISOString(),
      })
      .where('id', '=', current.id)
      .execute();
    if (patch.locations) await setChannelLocations(tx, caller.orgId, current.id, patch.locations);
    const view = await viewChannel(tx, caller.orgId, code);
    const at = services.now().toISOString();
    // Eligibility (locations) and channel_priority decide promises (R3, R6).
    const promiseEvents = patch.locations || patch.priority !== undefined ? await replanChannel(tx, services.store.dialect, caller.orgId, current.id, at) : [];
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
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  }));
}

export async function getChannel(services: Services, caller: Caller, code: string) {
  return viewChannel(services.store.db, caller.orgId, code);
}
