import { AppError } from './app-error.js';
import { isLocale, MESSAGE_KINDS, needsDate, PLACEHOLDER, type Locale, type MessageKind, type MessageTemplate } from './customer-messages.js';

/**
 * R11: a merchant may write their own e-mail for a kind and language. What a template may name,
 * and what it must: every message names the order and lists its items; one that promises a date
 * gives it; a shipment says whether the rest follows free (R17). A template that breaks these is
 * refused when it is saved, so a customer never gets a message with a hole in it.
 */
export interface TemplateVariables {
  readonly required: readonly string[];
  readonly optional: readonly string[];
}

export function variablesOf(kind: MessageKind): TemplateVariables {
  const required = ['orderNumber', 'items', ...(needsDate(kind) ? ['date'] : []), ...(kind === 'shipped' ? ['partialShipment'] : [])];
  const optional = ['merchant', ...(kind === 'shipped' ? ['tracking'] : [])];
  return { required, optional };
}

export const SUBJECT_MAX = 200;
export const BODY_MAX = 10_000;

export function parseKind(kind: string): MessageKind {
  if (!(MESSAGE_KINDS as readonly string[]).includes(kind)) {
    throw new AppError('UNKNOWN_MESSAGE_KIND', `There is no e-mail kind '${kind}'; the kinds are ${MESSAGE_KINDS.join(', ')}.`, { kind, kinds: MESSAGE_KINDS });
  }
  return kind as MessageKind;
}

export function parseLocale(locale: string): Locale {
  if (!isLocale(locale)) throw new AppError('UNKNOWN_LOCALE', `E-mails are written in nl, de and en; '${locale}' is not one of them.`, { locale, locales: ['nl', 'de', 'en'] });
  return locale;
}

/** Refuses a template that could not be filled in for every order of its kind. */
export function checkTemplate(kind: MessageKind, template: MessageTemplate): void {
  if (template.subject.trim() === '' || /[\r\n]/.test(template.subject) || template.subject.length > SUBJECT_MAX) {
    throw new AppError('VALIDATION_FAILED', `The subject is one line of 1 to ${SUBJECT_MAX} characters.`, { field: 'subject' });
  }
  if (template.body.trim() === '' || template.body.length > BODY_MAX) {
    throw new AppError('VALIDATION_FAILED', `The body is 1 to ${BODY_MAX} characters.`, { field: 'body' });
  }
  for (const [field, text] of [['subject', template.subject], ['body', template.body]] as const) {
    const stray = /[{}]/.exec(text.replace(PLACEHOLDER, ''));
    if (stray) {
      throw new AppError('TEMPLATE_SYNTAX', `The ${field} has a '${stray[0]}' that is not part of a {name} placeholder.`, { field, at: stray.index });
    }
  }
  if (/\{items\}/.test(template.subject)) {
    throw new AppError('TEMPLATE_SYNTAX', 'The item list belongs in the body, on a line of its own, not in the subject.', { field: 'subject', variable: 'items' });
  }
  const { required, optional } = variablesOf(kind);
  const named = new Set([...`${template.subject}\n${template.body}`.matchAll(PLACEHOLDER)].map((m) => m[1]!));
  const unknown = [...named].filter((n) => !required.includes(n) && !optional.includes(n));
  if (unknown.length > 0) {
    throw new AppError('TEMPLATE_VARIABLE_UNKNOWN', `A ${kind} e-mail has no {${unknown.join('}, {')}}; it may name {${[...required, ...optional].join('}, {')}}.`, {
      kind,
      unknown,
      variables: { required, optional },
    });
  }
  const missing = required.filter((n) => !named.has(n));
  if (missing.length > 0) {
    throw new AppError('TEMPLATE_VARIABLE_MISSING', `A ${kind} e-mail must name {${missing.join('}, {')}}.`, { kind, missing, variables: { required, optional } });
  }
  const itemsAlone = template.body.split(/\n[ \t]*\n/).some((p) => p.trim() === '{items}');
  if (!itemsAlone) {
    throw new AppError('TEMPLATE_SYNTAX', 'Put {items} in a paragraph of its own (a blank line before and after): it becomes the list of items.', { field: 'body', variable: 'items' });
  }
}
