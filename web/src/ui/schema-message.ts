import type { SchemaProblem } from '../api/api-error';
import { isMessageKey, type Translate } from '../i18n/i18n';

/**
 * A schema error in the reader's language: the failed keyword's words with its figures
 * (`{ limit: 1 }`), or the API's English message for a keyword the catalogue does not know.
 */
export function schemaMessage(problem: SchemaProblem, t: Translate, formatNumber: (n: number) => string): string {
  const key = `validation.${problem.keyword ?? ''}`;
  if (!problem.keyword || !isMessageKey(key)) return problem.message;
  const params = problem.params ?? {};
  const vars: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'number') vars[name] = formatNumber(value);
    else if (typeof value === 'string') vars[name] = value;
    else if (Array.isArray(value)) vars[name] = value.join(', ');
  }
  if (problem.keyword === 'enum') vars.allowed = Array.isArray(params.allowedValues) ? params.allowedValues.join(', ') : '';
  if (problem.keyword === 'additionalProperties') vars.property = String(params.additionalProperty ?? '');
  if (problem.keyword === 'type') {
    const typeKey = `validation.type.${String(params.type ?? '')}`;
    vars.type = isMessageKey(typeKey) ? t(typeKey) : String(params.type ?? '');
  }
  return t(key, vars);
}
