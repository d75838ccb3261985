import type { Kysely } from 'kysely';
import { AppError } from '../domain/app-error.js';
import { defaultTemplate, LOCALES, MESSAGE_KINDS, renderMessage, type Locale, type MessageKind, type MessageTemplate, type RenderedMessage } from '../domain/customer-messages.js';
import { checkTemplate, parseKind, parseLocale, variablesOf, type TemplateVariables } from '../domain/message-templates.js';
import { appendEvents } from '../store/events.repository.js';
import type { Database } from '../store/schema.js';
import type { Caller, Services } from './context.js';

/** R11: the merchant's own e-mail texts, per kind and language; checked when saved, used by planMessages. */
export interface TemplateView {
  kind: MessageKind;
  locale: Locale;
  subject: string;
  body: string;
  /** false: the built-in text. */
  custom: boolean;
  updatedAt: string | null;
  variables: TemplateVariables;
}

type Row = { kind: MessageKind; locale: Locale; subject: string; body: string; updated_at: string };

const view = (kind: MessageKind, locale: Locale, row: Row | undefined): TemplateView => ({
  kind,
  locale,
  ...(row ? { subject: row.subject, body: row.body } : defaultTemplate(kind, locale)),
  custom: row !== undefined,
  updatedAt: row?.updated_at ?? null,
  variables: variablesOf(kind),
});

/** The kind and language a route names: 404 UNKNOWN_MESSAGE_KIND / UNKNOWN_LOCALE otherwise. */
const parseKey = (kind: string, locale: string) => ({ kind: parseKind(kind), locale: parseLocale(locale) });

const keyOf = (orgId: string, kind: string, locale: string) => `${orgId}/${kind}/${locale}`;

/** The custom templates of these organisations, by org/kind/locale. */
export async function customTemplates(db: Kysely<Database>, orgIds: readonly string[]): Promise<Map<string, MessageTemplate>> {
  if (orgIds.length === 0) return new Map();
  const rows = await db.selectFrom('message_templates').select(['org_id', 'kind', 'locale', 'subject', 'body']).where('org_id', 'in', orgIds).execute();
  return new Map(rows.map((r) => [keyOf(r.org_id, r.kind, r.locale), { subject: r.subject, body: r.body }]));
}

export const templateFor = (templates: ReadonlyMap<string, MessageTemplate>, orgId: string, kind: MessageKind, locale: string) => templates.get(keyOf(orgId, kind, locale));

export async function listTemplates(services: Services, caller: Caller): Promise<TemplateView[]> {
  const rows = (await services.store.db.selectFrom('message_templates').selectAll().where('org_id', '=', caller.orgId).execute()) as Row[];
  return MESSAGE_KINDS.flatMap((kind) => LOCALES.map((locale) => view(kind, locale, rows.find((r) => r.kind === kind && r.locale === locale))));
}

export async function getTemplate(services: Services, caller: Caller, kindParam: string, localeParam: string): Promise<TemplateView> {
  const { kind, locale } = parseKey(kindParam, localeParam);
  const row = (await services.store.db.selectFrom('message_templates').selectAll().where('org_id', '=', caller.orgId).where('kind', '=', kind).where('locale', '=', locale).executeTakeFirst()) as Row | undefined;
  return view(kind, locale, row);
}

async function templateChanged(services: Services, tx: Kysely<Database>, caller: Caller, at: string, kind: MessageKind, locale: Locale, custom: boolean) {
  await appendEvents(tx, services.store.dialect, caller.orgId, at, [
    { type: 'settings.updated', subjectType: 'organisation', subjectId: caller.orgId, payload: { messageTemplate: { kind, locale, custom }, by: caller.keyId } },
  ]);
}

export async function saveTemplate(services: Services, caller: Caller, kindParam: string, localeParam: string, template: MessageTemplate): Promise<TemplateView> {
  const { kind, locale } = parseKey(kindParam, localeParam);
  checkTemplate(kind, template);
  const at = services.now().toISOString();
  await services.store.transact(async (tx) => {
    await tx
      .insertInto('message_templates')
      .values({ org_id: caller.orgId, kind, locale, subject: template.subject, body: template.body, updated_at: at })
      .onConflict((oc) => oc.columns(['org_id', 'kind', 'locale']).doUpdateSet({ subject: template.subject, body: template.body, updated_at: at }))
      .execute();
    await templateChanged(services, tx, caller, at, kind, locale, true);
  });
  return getTemplate(services, caller, kind, locale);
}

/** Back to the built-in text. */
export async function resetTemplate(services: Services, caller: Caller, kindParam: string, localeParam: string): Promise<TemplateView> {
  const { kind, locale } = parseKey(kindParam, localeParam);
  const at = services.now().toISOString();
  await services.store.transact(async (tx) => {
    const r = await tx.deleteFrom('message_templates').where('org_id', '=', caller.orgId).where('kind', '=', kind).where('locale', '=', locale).executeTakeFirst();
    if (r.numDeletedRows !== 1n) throw new AppError('NOT_FOUND', `The ${kind} e-mail in '${locale}' is the built-in text already.`, { kind, locale });
    await templateChanged(services, tx, caller, at, kind, locale, false);
  });
  return getTemplate(services, caller, kind, locale);
}

/** What a customer would get, for a sample order; the template given or the one in use. Changes nothing. */
export async function previewTemplate(services: Services, caller: Caller, kindParam: string, localeParam: string, template?: MessageTemplate): Promise<RenderedMessage> {
  const { kind, locale } = parseKey(kindParam, localeParam);
  if (template) checkTemplate(kind, template);
  const inUse = template ?? (await getTemplate(services, caller, kind, locale));
  const org = await services.store.db.selectFrom('organisations').select('name').where('id', '=', caller.orgId).executeTakeFirstOrThrow();
  const today = services.now().toISOString().slice(0, 10);
  return renderMessage(kind, locale, {
    merchant: org.name,
    orderNumber: 'SAMPLE-1001',
    items: ['2 × Sample product (SKU-1)', '1 × Another product (SKU-2)'],
    date: today,
    partial: true,
    carrier: 'PostNL',
    trackingNumber: '3SSAMPLE123',
  }, { subject: inUse.subject, body: inUse.body });
}
