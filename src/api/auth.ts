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

/** Reads are open to every role (except API keys, admin only); writes need `operator`; settings, channels, locations and keys need `admin`. */
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
