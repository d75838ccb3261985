import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/context.js';
import { getTemplate, listTemplates, previewTemplate, resetTemplate, saveTemplate } from '../../services/message-templates.service.js';
import { caller } from '../auth.js';

const Params = Type.Object({ kind: Type.String({ maxLength: 64 }), locale: Type.String({ maxLength: 16 }) });
const TemplateBody = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 200, description: 'One line; {placeholders} allowed' }),
    body: Type.String({ minLength: 1, maxLength: 10_000, description: 'Paragraphs separated by a blank line; {items} alone in a paragraph becomes the item list' }),
  },
  { additionalProperties: false },
);
const DESCRIPTION =
  'Placeholders: {orderNumber} and {items} always; {date} for backorder_created, preorder_confirmed and delayed; {partialShipment} for shipped (R17); ' +
  '{merchant} and, for shipped, {tracking} optional. Unknown or missing placeholders: 422 TEMPLATE_VARIABLE_UNKNOWN / TEMPLATE_VARIABLE_MISSING; unknown kind or locale: 404.';

/** R11: the merchant's own customer e-mails, per kind and language. */
export function messageTemplatesRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const base = '/settings/message-templates';
    r.get(base, { schema: { tags: ['settings'], summary: 'Every e-mail kind in every language: the text in use and its placeholders' } }, async (req) => ({
      items: await listTemplates(services, caller(req)),
      nextCursor: null,
    }));
    r.get(`${base}/:kind/:locale`, { schema: { tags: ['settings'], params: Params } }, async (req) => getTemplate(services, caller(req), req.params.kind, req.params.locale));
    r.put(`${base}/:kind/:locale`, { schema: { tags: ['settings'], summary: 'Use your own text for this kind and language', description: DESCRIPTION, params: Params, body: TemplateBody } }, async (req) =>
      saveTemplate(services, caller(req), req.params.kind, req.params.locale, req.body),
    );
    r.delete(`${base}/:kind/:locale`, { schema: { tags: ['settings'], summary: 'Back to the built-in text', params: Params } }, async (req) =>
      resetTemplate(services, caller(req), req.params.kind, req.params.locale),
    );
    r.post(
      `${base}/:kind/:locale/preview`,
      { schema: { tags: ['settings'], summary: 'Render a sample order with the given text (or the one in use); changes nothing', description: DESCRIPTION, params: Params, body: Type.Optional(Type.Union([TemplateBody, Type.Null()])) } },
      async (req) => previewTemplate(services, caller(req), req.params.kind, req.params.locale, req.body ?? undefined),
    );
  };
}
