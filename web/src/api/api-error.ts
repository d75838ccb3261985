/** A refused or failed request, in the API's problem+json words (`title`, `detail`, `code`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  /** Per field, for a request that did not match the schema. */
  readonly fieldErrors: readonly SchemaProblem[];
  /** A business rule's figures, e.g. `{ field }` for a value the schema let through but the rule refused. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(status: number, problem: { code?: unknown; title?: unknown; detail?: unknown; errors?: unknown; details?: unknown }) {
    const title = typeof problem.title === 'string' ? problem.title : `HTTP ${status}`;
    const detail = typeof problem.detail === 'string' ? problem.detail : '';
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.code = typeof problem.code === 'string' ? problem.code : 'HTTP_' + status;
    this.title = title;
    this.detail = detail;
    this.fieldErrors = Array.isArray(problem.errors) ? problem.errors.filter(isFieldError) : [];
    this.details = typeof problem.details === 'object' && problem.details !== null ? (problem.details as Record<string, unknown>) : {};
  }
}

/** One schema error: where, the API's English message, and the rule that failed with its figures (to word it in any language). */
export interface SchemaProblem {
  readonly path?: string;
  readonly message: string;
  readonly keyword?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

function isFieldError(e: unknown): e is SchemaProblem {
  return typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string';
}
