/**
 * R11: what a waiting customer is told, in their language (nl, de, en; anything else gets en),
 * as plain text and HTML. Pure: kind, locale and the facts in, subject and bodies out. A template
 * that names a fact the caller did not give is an error, never a message with a hole in it.
 */
export type MessageKind = 'backorder_created' | 'preorder_confirmed' | 'delayed' | 'allocated' | 'shipped' | 'cancelled';
export type Locale = 'nl' | 'de' | 'en';

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

type Template = { subject: string; lines: readonly string[] };
type Texts = Record<MessageKind, Template> & { noDate: string; partialShipment: string; tracking: string; signOff: string };

/** `{name}` placeholders; `{items}` becomes the item list. */
const TEXTS: Record<Locale, Texts> = {
  en: {
    backorder_created: {
      subject: 'Your order {orderNumber}: expected on {date}',
      lines: ['Thank you for your order {orderNumber}.', 'These items are on their way to us and not in stock yet:', '{items}', 'We expect to deliver them on {date}. We will let you know as soon as they ship.'],
    },
    preorder_confirmed: {
      subject: 'Your pre-order {orderNumber} is confirmed',
      lines: ['Thank you for your pre-order {orderNumber}:', '{items}', 'We expect to deliver it on {date}, as soon as the new stock arrives.'],
    },
    delayed: {
      subject: 'Your order {orderNumber} is delayed',
      lines: ['We are sorry: the items of your order {orderNumber} below arrive later than we told you.', '{items}', 'The new expected delivery date is {date}.'],
    },
    allocated: {
      subject: 'Your order {orderNumber} is on its way to you',
      lines: ['Good news: the items of your order {orderNumber} below have arrived and are being packed for you.', '{items}'],
    },
    shipped: {
      subject: 'Your order {orderNumber} has shipped',
      lines: ['These items of your order {orderNumber} have shipped:', '{items}'],
    },
    cancelled: {
      subject: 'Your order {orderNumber} has been cancelled',
      lines: ['These items of your order {orderNumber} have been cancelled:', '{items}', 'If you paid for them, you will be refunded.'],
    },
    noDate: 'as soon as we know when the new stock arrives (we will write again)',
    partialShipment: 'The rest of your order follows in a separate shipment, with no extra shipping cost.',
    tracking: 'Carrier {carrier}, tracking number {trackingNumber}.',
    signOff: 'Kind regards,\n{merchant}',
  },
  nl: {
    backorder_created: {
      subject: 'Je bestelling {orderNumber}: verwacht op {date}',
      lines: ['Bedankt voor je bestelling {orderNumber}.', 'Deze artikelen zijn onderweg naar ons en nog niet op voorraad:', '{items}', 'We verwachten ze op {date} te leveren. We laten het je weten zodra ze verzonden zijn.'],
    },
    preorder_confirmed: {
      subject: 'Je pre-order {orderNumber} is bevestigd',
      lines: ['Bedankt voor je pre-order {orderNumber}:', '{items}', 'We verwachten hem op {date} te leveren, zodra de nieuwe voorraad binnen is.'],
    },
    delayed: {
      subject: 'Je bestelling {orderNumber} heeft vertraging',
      lines: ['Het spijt ons: de onderstaande artikelen van je bestelling {orderNumber} komen later dan we je hebben laten weten.', '{items}', 'De nieuwe verwachte leverdatum is {date}.'],
    },
    allocated: {
      subject: 'Je bestelling {orderNumber} komt eraan',
      lines: ['Goed nieuws: de onderstaande artikelen van je bestelling {orderNumber} zijn binnen en worden voor je ingepakt.', '{items}'],
    },
    shipped: {
      subject: 'Je bestelling {orderNumber} is verzonden',
      lines: ['Deze artikelen van je bestelling {orderNumber} zijn verzonden:', '{items}'],
    },
    cancelled: {
      subject: 'Je bestelling {orderNumber} is geannuleerd',
      lines: ['Deze artikelen van je bestelling {orderNumber} zijn geannuleerd:', '{items}', 'Heb je ze al betaald, dan krijg je je geld terug.'],
    },
    noDate: 'zodra we weten wanneer de nieuwe voorraad binnenkomt (we schrijven je dan opnieuw)',
    partialShipment: 'De rest van je bestelling volgt in een aparte zending, zonder extra verzendkosten.',
    tracking: 'Vervoerder {carrier}, trackingnummer {trackingNumber}.',
    signOff: 'Met vriendelijke groet,\n{merchant}',
  },
  de: {
    backorder_created: {
      subject: 'Ihre Bestellung {orderNumber}: voraussichtlich am {date}',
      lines: ['Vielen Dank für Ihre Bestellung {orderNumber}.', 'Diese Artikel sind auf dem Weg zu uns und noch nicht auf Lager:', '{items}', 'Wir liefern sie voraussichtlich am {date}. Wir melden uns, sobald sie versandt sind.'],
    },
    preorder_confirmed: {
      subject: 'Ihre Vorbestellung {orderNumber} ist bestätigt',
      lines: ['Vielen Dank für Ihre Vorbestellung {orderNumber}:', '{items}', 'Wir liefern sie voraussichtlich am {date}, sobald die neue Ware eintrifft.'],
    },
    delayed: {
      subject: 'Ihre Bestellung {orderNumber} verzögert sich',
      lines: ['Es tut uns leid: Die folgenden Artikel Ihrer Bestellung {orderNumber} kommen später als angekündigt.', '{items}', 'Der neue voraussichtliche Liefertermin ist der {date}.'],
    },
    allocated: {
      subject: 'Ihre Bestellung {orderNumber} ist unterwegs zu Ihnen',
      lines: ['Gute Nachricht: Die folgenden Artikel Ihrer Bestellung {orderNumber} sind eingetroffen und werden für Sie verpackt.', '{items}'],
    },
    shipped: {
      subject: 'Ihre Bestellung {orderNumber} wurde versandt',
      lines: ['Diese Artikel Ihrer Bestellung {orderNumber} wurden versandt:', '{items}'],
    },
    cancelled: {
      subject: 'Ihre Bestellung {orderNumber} wurde storniert',
      lines: ['Diese Artikel Ihrer Bestellung {orderNumber} wurden storniert:', '{items}', 'Falls Sie bereits bezahlt haben, erstatten wir Ihnen den Betrag.'],
    },
    noDate: 'sobald wir wissen, wann die neue Ware eintrifft (wir schreiben Ihnen dann erneut)',
    partialShipment: 'Der Rest Ihrer Bestellung folgt in einer eigenen Sendung, ohne zusätzliche Versandkosten.',
    tracking: 'Versanddienst {carrier}, Sendungsnummer {trackingNumber}.',
    signOff: 'Mit freundlichen Grüßen\n{merchant}',
  },
};

const DATE_LOCALE: Record<Locale, string> = { nl: 'nl-NL', de: 'de-DE', en: 'en-GB' };

export const toLocale = (l: string): Locale => (l === 'nl' || l === 'de' ? l : 'en');

export function formatDate(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(DATE_LOCALE[locale], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
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

export function renderMessage(kind: MessageKind, localeTag: string, facts: MessageFacts): RenderedMessage {
  const locale = toLocale(localeTag);
  const texts = TEXTS[locale];
  const needsDate = kind === 'backorder_created' || kind === 'preorder_confirmed' || kind === 'delayed';
  if (needsDate && facts.date === undefined) throw new MissingTemplateFact(`a ${kind} message needs a date (or null)`);
  const values: Record<string, string> = {
    merchant: facts.merchant,
    orderNumber: facts.orderNumber,
    ...(facts.date !== undefined ? { date: facts.date === null ? texts.noDate : formatDate(facts.date, locale) } : {}),
    ...(facts.carrier ? { carrier: facts.carrier } : {}),
    ...(facts.trackingNumber ? { trackingNumber: facts.trackingNumber } : {}),
  };
  const template = texts[kind];
  const paragraphs: string[][] = template.lines.map((l) => (l === '{items}' ? facts.items.map((i) => `- ${i}`) : [fill(l, values)]));
  if (kind === 'shipped' && facts.carrier && facts.trackingNumber) paragraphs.push([fill(texts.tracking, values)]);
  if (kind === 'shipped' && facts.partial) paragraphs.push([texts.partialShipment]);
  paragraphs.push(fill(texts.signOff, values).split('\n'));
  // A date that is not known yet reads as a phrase, not a date, in the subject.
  const subject = fill(template.subject, values);
  const text = paragraphs.map((p) => p.join('\n')).join('\n\n') + '\n';
  const html =
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">' +
    paragraphs
      .map((p, i) => (template.lines[i] === '{items}' ? `<ul>${p.map((x) => `<li>${escapeHtml(x.slice(2))}</li>`).join('')}</ul>` : `<p>${p.map(escapeHtml).join('<br>')}</p>`))
      .join('') +
    '</body></html>';
  return { subject, text, html };
}
