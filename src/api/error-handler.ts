import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../domain/app-error.js';

/** The one place where an error code becomes an HTTP status. */
const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  INVALID_CURSOR: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  ROUTE_NOT_FOUND: 404,
  NOT_FOUND: 404,
  UNKNOWN_CUSTOMER: 404,
  DUPLICATE_SKU: 409,
  DUPLICATE_CODE: 409,
  ORDER_CONFLICT: 409,
  INSUFFICIENT_STOCK: 409,
  STOCK_WOULD_GO_NEGATIVE: 409,
  INVALID_TRANSITION: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  LAST_ADMIN_KEY: 409,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNKNOWN_SKU: 422,
  UNKNOWN_CHANNEL: 422,
  UNKNOWN_LOCATION: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  UNKNOWN_SUPPLIER: 422,
  DUPLICATE_SUPPLIER: 409,
  DUPLICATE_PO_NUMBER: 409,
  SKU_NOT_ON_PURCHASE_ORDER: 422,
  PURCHASE_ORDER_NOT_RECEIVABLE: 409,
  OVER_RECEIPT: 409,
  SHARES_OVER_ONE: 422,
  INVALID_SEASON: 422,
  INVALID_DATE_RANGE: 422,
  DUPLICATE_SEASON: 409,
  UNKNOWN_EVENT_TYPE: 422,
  UNKNOWN_MESSAGE_KIND: 404,
  UNKNOWN_LOCALE: 404,
  TEMPLATE_SYNTAX: 422,
  TEMPLATE_VARIABLE_UNKNOWN: 422,
  TEMPLATE_VARIABLE_MISSING: 422,
  WEBHOOK_TARGET_REFUSED: 422,
  SERVICE_BUSY: 503,
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance: string;
  [extra: string]: unknown;
}

export function problemFor(code: ErrorCode, detail: string, instance: string, extra?: Record<string, unknown>): Problem {
  const status = STATUS[code];
  return {
    type: `urn:stockbridge:problem:${code}`,
    title: code
      .toLowerCase()
      .split('_')
      .map((w, i) => (i === 0 ? w[0]!.toUpperCase() + w.slice(1) : w))
      .join(' '),
    status,
    code,
    detail,
    instance,
    ...(extra ?? {}),
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem) {
  if (problem.code === 'SERVICE_BUSY') reply.header('retry-after', '1');
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/** Fastify's own errors (parsing, limits, schema validation) in our vocabulary. */
function fromFastify(err: FastifyError, bodyLimit: number): { code: ErrorCode; detail: string; extra?: Record<string, unknown> } | null {
  if (err.validation) {
    const part = err.validationContext ?? 'body';
    // A union (e.g. an object or null) fails once per branch: keep the errors that say something.
    const useful = err.validation.filter((v) => v.keyword !== 'anyOf' && !(v.keyword === 'type' && (v.params as { type?: string }).type === 'null'));
    const errors = (useful.length > 0 ? useful : err.validation).map((v) => {
      const params = v.params as { additionalProperty?: string; allowedValues?: unknown[] };
      const where = `${part}${v.instancePath || ''}`;
      let message = v.message ?? 'is invalid';
      if (v.keyword === 'additionalProperties') message = `has an unknown property '${params.additionalProperty}'`;
      if (v.keyword === 'enum') message = `must be one of: ${(params.allowedValues ?? []).join(', ')}`;
      return {
        in: part,
        path: v.instancePath || '/',
        message,
        // The schema rule that failed and its figures (`limit`, `comparison`, `missingProperty`, `type`…), so a client can say it in its own language.
        keyword: v.keyword,
        params: v.params,
        ...(v.keyword === 'additionalProperties' ? { property: params.additionalProperty } : {}),
        ...(v.keyword === 'enum' ? { allowed: params.allowedValues } : {}),
        text: `${where} ${message}`,
      };
    });
    return {
      code: 'VALIDATION_FAILED',
      detail: `The request does not match the schema: ${errors.map((e) => e.text).join('; ')}.`,
      extra: { errors: errors.map(({ text: _text, ...e }) => e) },
    };
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'BODY_TOO_LARGE', detail: `The request body is larger than the server accepts (${bodyLimit} bytes; BODY_LIMIT_BYTES).` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Send JSON with Content-Type: application/json.' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'INVALID_JSON', detail: 'The request body is not valid JSON.' };
  }
  if (err instanceof SyntaxError || (err as { statusCode?: number }).statusCode === 400) {
    return { code: 'INVALID_JSON', detail: 'The request body could not be parsed.' };
  }
  return null;
}

export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AppError) {
    return sendProblem(reply, problemFor(err.code, err.message, request.url, err.details ? { details: err.details } : undefined));
  }
  const known = fromFastify(err, request.routeOptions.bodyLimit ?? request.server.initialConfig.bodyLimit ?? 0);
  if (known) return sendProblem(reply, problemFor(known.code, known.detail, request.url, known.extra));
  request.log.error({ err }, 'unhandled error');
  return reply.code(500).type('application/problem+json').send({
    type: 'urn:stockbridge:problem:INTERNAL',
    title: 'Internal error',
    status: 500,
    code: 'INTERNAL',
    detail: 'Something went wrong on our side; it has been logged.',
    instance: request.url,
  });
}
