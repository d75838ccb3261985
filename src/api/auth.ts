import type { FastifyRequest } from 'fastify';
import { AppError } from '../domain/app-error.js';
import type { Caller, Role } from '../services/context.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

const RANK: Record<Role, number> = { 'read-only': 0, operator: 1, admin: 2 };

export function caller(request: FastifyRequest): Caller {
  if (!request.caller) throw new AppError('UNAUTHENTICATED', 'A valid API key is required: Authorization: Bearer <key>.');
  return request.caller;
}

/**
 * Who may call what, in one table: reads are open to every role, writes need `operator`, and
 * these need `admin`. Checked before the body is validated, so a key without the role gets 403
 * whatever it sends.
 */
const ADMIN_ONLY = new Set([
  'PATCH /v1/settings',
  'GET /v1/api-keys',
  'POST /v1/api-keys',
  'DELETE /v1/api-keys/:id',
  'POST /v1/channels',
  'PATCH /v1/channels/:code',
  'POST /v1/locations',
  'PATCH /v1/locations/:code',
  'POST /v1/settings/seasons',
  'DELETE /v1/settings/seasons/:id',
  'PUT /v1/settings/message-templates/:kind/:locale',
  'DELETE /v1/settings/message-templates/:kind/:locale',
  'POST /v1/webhooks',
  'PATCH /v1/webhooks/:id',
  'POST /v1/webhook-deliveries/:id/replay',
]);

export function requiredRole(method: string, route: string): Role {
  if (ADMIN_ONLY.has(`${method} ${route}`)) return 'admin';
  return method === 'GET' || method === 'HEAD' ? 'read-only' : 'operator';
}

export function requireRole(request: FastifyRequest, role: Role): Caller {
  const c = caller(request);
  if (RANK[c.role] < RANK[role]) {
    throw new AppError('FORBIDDEN', `This needs an API key with role '${role}' or higher; yours is '${c.role}'.`);
  }
  return c;
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
