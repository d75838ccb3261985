import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../services/context.js';
import { withIdempotencyKey, type RecordResponse } from '../services/idempotency.service.js';
import { requestHash } from '../services/request-hash.js';
import { caller } from './auth.js';

export const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) });


/**
 * A write that honours `Idempotency-Key` (R2's rule, for every retry-prone write): the same key
 * and request replay the stored response; a different request under the key gets 422; a repeat
 * while the first still runs gets 409. Without the header the write simply runs.
 */
export async function respondIdempotently(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  write: (record?: RecordResponse) => Promise<unknown>,
) {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string') return reply.code(status).send(await write());
  const who = caller(request);
  const hash = requestHash({ method: request.method, url: request.url, body: request.body ?? null });
  const result = await withIdempotencyKey(services.store, who.orgId, key, hash, services.now, async (complete) => ({
    status,
    body: await write((tx, body) => complete(tx, status, body)),
  }));
  return reply.code(result.status).send(result.body);
}
