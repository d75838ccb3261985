import { ApiError, type SchemaProblem } from '../api/api-error';
import { useI18n } from '../i18n/i18n';
import { schemaMessage } from './schema-message';

/** What the API said about one field: a schema error (worded in the reader's language when shown) or a business rule's detail. */
export type FieldProblem = SchemaProblem;

const joinPath = (parent: string | undefined, name: unknown) => `${parent === '/' || !parent ? '' : parent}/${String(name)}`;

/**
 * What the API said about one field of a refused form: a schema error whose path is the field
 * (`/acceptanceRatio`, `/window/days`) or names it as missing, a business rule naming it in
 * `details.field` (`window.days`), or one of the error codes the form knows belong to it.
 */
export function fieldError(error: unknown, field: string, codes: readonly string[] = []): FieldProblem | null {
  if (!(error instanceof ApiError)) return null;
  const pointer = '/' + field.split('.').join('/');
  const schema = error.fieldErrors.find(
    (e) => e.path === pointer || e.path?.startsWith(pointer + '/') || (e.keyword === 'required' && joinPath(e.path, e.params?.missingProperty) === pointer),
  );
  if (schema) return schema;
  if (error.details.field === field || codes.includes(error.code)) return { message: error.detail || error.title };
  return null;
}

/** The message under a field; give the input `aria-describedby={id}` and `aria-invalid`. */
export function FieldError({ id, message }: { id: string; message: FieldProblem | null }) {
  const { t, formatNumber } = useI18n();
  if (!message) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {schemaMessage(message, t, (n) => formatNumber(n))}
    </p>
  );
}
