import { describe, expect, it } from 'vitest';
import { formatDate, MissingTemplateFact, renderMessage, toLocale, type MessageKind } from '../../src/domain/customer-messages.js';

/** R11: the customer's language (nl, de, en; anything else en), every kind, no holes. */
const facts = { merchant: 'Demo Phone Cases BV', orderNumber: 'WEB-1001', items: ['2 × Clear case (CASE-CLR)'], date: '2026-12-08' };
const KINDS: MessageKind[] = ['backorder_created', 'preorder_confirmed', 'delayed', 'allocated', 'shipped', 'cancelled'];

describe('customer messages (R11)', () => {
  it('renders every kind in every language with the order number, the items and the merchant, as text and HTML', () => {
    for (const locale of ['nl', 'de', 'en'] as const) {
      for (const kind of KINDS) {
        const m = renderMessage(kind, locale, facts);
        expect(m.subject, `${kind}/${locale}`).toContain('WEB-1001');
        expect(m.text).toContain('- 2 × Clear case (CASE-CLR)');
        expect(m.text).toContain('Demo Phone Cases BV');
        expect(m.html).toContain('<li>2 × Clear case (CASE-CLR)</li>');
        expect(m.text).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it('writes dates the way each language does, and a date not known yet as words', () => {
    expect(renderMessage('backorder_created', 'nl', facts).subject).toBe('Je bestelling WEB-1001: verwacht op 8 december 2026');
    expect(renderMessage('backorder_created', 'de', facts).subject).toBe('Ihre Bestellung WEB-1001: voraussichtlich am 8. Dezember 2026');
    expect(renderMessage('backorder_created', 'en', facts).subject).toBe('Your order WEB-1001: expected on 8 December 2026');
    expect(renderMessage('delayed', 'en', { ...facts, date: null }).text).toContain('as soon as we know when the new stock arrives');
    expect(formatDate('2027-01-31', 'de')).toBe('31. Januar 2027');
  });

  it('falls back to English for other locales', () => {
    expect(toLocale('fr')).toBe('en');
    expect(renderMessage('cancelled', 'fr', facts).subject).toBe('Your order WEB-1001 has been cancelled');
  });

  it('a partial shipment says the rest follows at no extra shipping cost, and gives the tracking when known (R17)', () => {
    const m = renderMessage('shipped', 'nl', { ...facts, partial: true, carrier: 'PostNL', trackingNumber: '3S123' });
    expect(m.text).toContain('Vervoerder PostNL, trackingnummer 3S123.');
    expect(m.text).toContain('zonder extra verzendkosten');
    expect(renderMessage('shipped', 'nl', facts).text).not.toContain('verzendkosten');
  });

  it('a message that needs a date refuses to render without one, never with a hole', () => {
    const { date: _date, ...noDate } = facts;
    expect(() => renderMessage('backorder_created', 'en', noDate)).toThrow(MissingTemplateFact);
    expect(() => renderMessage('allocated', 'en', noDate)).not.toThrow();
  });

  it('escapes HTML in what it is given', () => {
    expect(renderMessage('allocated', 'en', { ...facts, items: ['1 × <b>bold</b> & co'] }).html).toContain('<li>1 × &lt;b&gt;bold&lt;/b&gt; &amp; co</li>');
  });
});
