import { ApiError } from '../api/api-error';

/**
 * What the API said about one field of a refused form: a schema error whose path is the field
 * (`/acceptanceRatio`, `/window/days`), a business rule naming it in `details.field`
 * (`window.days`), or one of the error codes the form knows belong to it.
 */
export function fieldError(error: unknown, field: string, codes: readonly string[] = []): string | null {
  if (!(error instanceof ApiError)) return null;
  const pointer = '/' + field.split('.').join('/');
  const schema = error.fieldErrors.find((e) => e.path === pointer || e.path?.startsWith(pointer + '/'));
  if (schema) return schema.message;
  if (error.details.field === field || codes.includes(error.code)) return error.detail || error.title;
  return null;
}

/** The message under a field; give the input `aria-describedby={id}` and `aria-invalid`. */
export function FieldError({ id, message }: { id: string; message: string | null }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {message}
    </p>
  );
}
