/**
 * R11: what a waiting customer is told, in their language (nl, de, en; anything else gets en),
 * as plain text and HTML. Pure: kind, locale, the facts and (if the merchant wrote one) the
 * template in, subject and bodies out. A template that names a fact the caller did not give is an
 * error, never a message with a hole in it.
 *
 * A template is a subject line and a body of paragraphs (separated by a blank line) with
 * `{name}` placeholders (message-templates.ts lists which each kind has). A paragraph that is just
 * `{items}` becomes the list of items; one that comes out empty (`{tracking}` when there is none)
 * is left out.
 */
export type MessageKind = 'backorder_created' | 'preorder_confirmed' | 'delayed' | 'allocated' | 'shipped' | 'cancelled';
export type Locale = 'nl' | 'de' | 'en';

export const MESSAGE_KINDS: readonly MessageKind[] = ['backorder_created', 'preorder_confirmed', 'delayed', 'allocated', 'shipped', 'cancelled'];
export const LOCALES: readonly Locale[] = ['nl', 'de', 'en'];

export interface MessageFacts {
  readonly merchant: string;
  readonly orderNumber: string;
  /** "2 × Case for iPhone 16 (CASE-16)" lines. */
  readonly items: readonly string[];
  /** YYYY-MM-DD or null: not yet known. */
  readonly date?: string | null;
  readonly partial?: boolean;
  readonly carrier?: string | null;
  readonly trackingNumber?: string | null;
}

export class MissingTemplateFact extends Error {}

export interface MessageTemplate {
  readonly subject: string;
  readonly body: string;
}

type Defaults = { templates: Record<MessageKind, { subject: string; body: readonly string[] }>; noDate: string; partialShipment: string; tracking: string };

const TEXTS: Record<Locale, Defaults> = {
  en: {
    templates: {
      backorder_created: {
        subject: 'Your order {orderNumber}: expected on {date}',
        body: [
          'Thank you for your order {orderNumber}.',
          'These items are on their way to us and not in stock yet:',
          '{items}',
          'We expect to deliver them on {date}. We will let you know as soon as they ship.',
          'Kind regards,\n{merchant}',
        ],
      },
      preorder_confirmed: {
        subject: 'Your pre-order {orderNumber} is confirmed',
        body: [
          'Thank you for your pre-order {orderNumber}:',
          '{items}',
          'We expect to deliver it on {date}, as soon as the new stock arrives.',
          'Kind regards,\n{merchant}',
        ],
      },
      delayed: {
        subject: 'Your order {orderNumber} is delayed',
        body: [
          'We are sorry: the items of your order {orderNumber} below arrive later than we told you.',
          '{items}',
          'The new expected delivery date is {date}.',
          'Kind regards,\n{merchant}',
        ],
      },
      allocated: {
        subject: 'Your order {orderNumber} is on its way to you',
        body: [
          'Good news: the items of your order {orderNumber} below have arrived and are being packed for you.',
          '{items}',
          'Kind regards,\n{merchant}',
        ],
      },
      shipped: {
        subject: 'Your order {orderNumber} has shipped',
        body: [
          'These items of your order {orderNumber} have shipped:',
          '{items}',
          '{tracking}',
          '{partialShipment}',
          'Kind regards,\n{merchant}',
        ],
      },
      cancelled: {
        subject: 'Your order {orderNumber} has been cancelled',
        body: [
          'These items of your order {orderNumber} have been cancelled:',
          '{items}',
          'If you paid for them, you will be refunded.',
          'Kind regards,\n{merchant}',
        ],
      },
    },
    noDate: 'as soon as we know when the new stock arrives (we will write again)',
    partialShipment: 'The rest of your order follows in a separate shipment, with no extra shipping cost.',
    tracking: 'Carrier {carrier}, tracking number {trackingNumber}.',
  },
  nl: {
    templates: {
      backorder_created: {
        subject: 'Je bestelling {orderNumber}: verwacht op {date}',
        body: [
          'Bedankt voor je bestelling {orderNumber}.',
          'Deze artikelen zijn onderweg naar ons en nog niet op voorraad:',
          '{items}',
          'We verwachten ze op {date} te leveren. We laten het je weten zodra ze verzonden zijn.',
          'Met vriendelijke groet,\n{merchant}',
        ],
      },
      preorder_confirmed: {
        subject: 'Je pre-order {orderNumber} is bevestigd',
        body: [
          'Bedankt voor je pre-order {orderNumber}:',
          '{items}',
          'We verwachten hem op {date} te leveren, zodra de nieuwe voorraad binnen is.',
          'Met vriendelijke groet,\n{merchant}',
        ],
      },
      delayed: {
        subject: 'Je bestelling {orderNumber} heeft vertraging',
        body: [
          'Het spijt ons: de onderstaande artikelen van je bestelling {orderNumber} komen later dan we je hebben laten weten.',
          '{items}',
          'De nieuwe verwachte leverdatum is {date}.',
          'Met vriendelijke groet,\n{merchant}',
        ],
      },
      allocated: {
        subject: 'Je bestelling {orderNumber} komt eraan',
        body: [
          'Goed nieuws: de onderstaande artikelen van je bestelling {orderNumber} zijn binnen en worden voor je ingepakt.',
          '{items}',
          'Met vriendelijke groet,\n{merchant}',
        ],
      },
      shipped: {
        subject: 'Je bestelling {orderNumber} is verzonden',
        body: [
          'Deze artikelen van je bestelling {orderNumber} zijn verzonden:',
          '{items}',
          '{tracking}',
          '{partialShipment}',
          'Met vriendelijke groet,\n{merchant}',
        ],
      },
      cancelled: {
        subject: 'Je bestelling {orderNumber} is geannuleerd',
        body: [
          'Deze artikelen van je bestelling {orderNumber} zijn geannuleerd:',
          '{items}',
          'Heb je ze al betaald, dan krijg je je geld terug.',
          'Met vriendelijke groet,\n{merchant}',
        ],
      },
    },
    noDate: 'zodra we weten wanneer de nieuwe voorraad binnenkomt (we schrijven je dan opnieuw)',
    partialShipment: 'De rest van je bestelling volgt in een aparte zending, zonder extra verzendkosten.',
    tracking: 'Vervoerder {carrier}, trackingnummer {trackingNumber}.',
  },
  de: {
    templates: {
      backorder_created: {
        subject: 'Ihre Bestellung {orderNumber}: voraussichtlich am {date}',
        body: [
          'Vielen Dank für Ihre Bestellung {orderNumber}.',
          'Diese Artikel sind auf dem Weg zu uns und noch nicht auf Lager:',
          '{items}',
          'Wir liefern sie voraussichtlich am {date}. Wir melden uns, sobald sie versandt sind.',
          'Mit freundlichen Grüßen\n{merchant}',
        ],
      },
      preorder_confirmed: {
        subject: 'Ihre Vorbestellung {orderNumber} ist bestätigt',
        body: [
          'Vielen Dank für Ihre Vorbestellung {orderNumber}:',
          '{items}',
          'Wir liefern sie voraussichtlich am {date}, sobald die neue Ware eintrifft.',
          'Mit freundlichen Grüßen\n{merchant}',
        ],
      },
      delayed: {
        subject: 'Ihre Bestellung {orderNumber} verzögert sich',
        body: [
          'Es tut uns leid: Die folgenden Artikel Ihrer Bestellung {orderNumber} kommen später als angekündigt.',
          '{items}',
          'Der neue voraussichtliche Liefertermin ist der {date}.',
          'Mit freundlichen Grüßen\n{merchant}',
        ],
      },
      allocated: {
        subject: 'Ihre Bestellung {orderNumber} ist unterwegs zu Ihnen',
        body: [
          'Gute Nachricht: Die folgenden Artikel Ihrer Bestellung {orderNumber} sind eingetroffen und werden für Sie verpackt.',
          '{items}',
          'Mit freundlichen Grüßen\n{merchant}',
        ],
      },
      shipped: {
        subject: 'Ihre Bestellung {orderNumber} wurde versandt',
        body: [
          'Diese Artikel Ihrer Bestellung {orderNumber} wurden versandt:',
          '{items}',
          '{tracking}',
          '{partialShipment}',
          'Mit freundlichen Grüßen\n{merchant}',
        ],
      },
      cancelled: {
        subject: 'Ihre Bestellung {orderNumber} wurde storniert',
        body: [
          'Diese Artikel Ihrer Bestellung {orderNumber} wurden storniert:',
          '{items}',
          'Falls Sie bereits bezahlt haben, erstatten wir Ihnen den Betrag.',
          'Mit freundlichen Grüßen\n{merchant}',
        ],
      },
    },
    noDate: 'sobald wir wissen, wann die neue Ware eintrifft (wir schreiben Ihnen dann erneut)',
    partialShipment: 'Der Rest Ihrer Bestellung folgt in einer eigenen Sendung, ohne zusätzliche Versandkosten.',
    tracking: 'Versanddienst {carrier}, Sendungsnummer {trackingNumber}.',
  },
};

/** The template a kind has in a language until the merchant writes their own. */
export function defaultTemplate(kind: MessageKind, locale: Locale): MessageTemplate {
  const t = TEXTS[locale].templates[kind];
  return { subject: t.subject, body: t.body.join('\n\n') };
}

const DATE_LOCALE: Record<Locale, string> = { nl: 'nl-NL', de: 'de-DE', en: 'en-GB' };

export const isLocale = (l: string): l is Locale => (LOCALES as readonly string[]).includes(l);
export const toLocale = (l: string): Locale => (isLocale(l) ? l : 'en');

export function formatDate(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(DATE_LOCALE[locale], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

export const PLACEHOLDER = /\{(\w+)\}/g;

function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new MissingTemplateFact(`the template needs {${name}}`);
    return v;
  });
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface RenderedMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export const needsDate = (kind: MessageKind) => kind === 'backorder_created' || kind === 'preorder_confirmed' || kind === 'delayed';

/** The values of a kind's placeholders, in the customer's language. */
function valuesOf(kind: MessageKind, locale: Locale, facts: MessageFacts): Record<string, string> {
  const texts = TEXTS[locale];
  if (needsDate(kind) && facts.date === undefined) throw new MissingTemplateFact(`a ${kind} message needs a date (or null)`);
  const values: Record<string, string> = {
    merchant: facts.merchant,
    orderNumber: facts.orderNumber,
    items: facts.items.join(', '),
    // A date that is not known yet reads as a phrase, not a date.
    ...(facts.date !== undefined ? { date: facts.date === null ? texts.noDate : formatDate(facts.date, locale) } : {}),
  };
  if (kind === 'shipped') {
    values.tracking = facts.carrier && facts.trackingNumber ? fill(texts.tracking, { carrier: facts.carrier, trackingNumber: facts.trackingNumber }) : '';
    values.partialShipment = facts.partial ? texts.partialShipment : '';
  }
  return values;
}

type Paragraph = { kind: 'items'; items: readonly string[] } | { kind: 'text'; text: string };

export function renderMessage(kind: MessageKind, localeTag: string, facts: MessageFacts, template?: MessageTemplate): RenderedMessage {
  const locale = toLocale(localeTag);
  const values = valuesOf(kind, locale, facts);
  const { subject, body } = template ?? defaultTemplate(kind, locale);
  const paragraphs: Paragraph[] = body
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .map((p): Paragraph => (p === '{items}' ? { kind: 'items', items: facts.items } : { kind: 'text', text: fill(p, values).trim() }))
    .filter((p) => p.kind === 'items' || p.text !== '');
  const text = paragraphs.map((p) => (p.kind === 'items' ? p.items.map((i) => `- ${i}`).join('\n') : p.text)).join('\n\n') + '\n';
  const html =
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">' +
    paragraphs
      .map((p) => (p.kind === 'items' ? `<ul>${p.items.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>` : `<p>${p.text.split('\n').map(escapeHtml).join('<br>')}</p>`))
      .join('') +
    '</body></html>';
  return { subject: fill(subject, values).replace(/\s+/g, ' ').trim(), text, html };
}
