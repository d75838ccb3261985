import type { Caller, Services } from '../services/context.js';
import { createChannel } from '../services/channels.service.js';
import { createLocation } from '../services/locations.service.js';
import { placeOrder } from '../services/order-intake.service.js';
import { runChecks } from '../services/scheduler.js';
import { createOrganisation, createSeason, updateSettings } from '../services/organisations.service.js';
import { createProduct } from '../services/products.service.js';
import { createPurchaseOrder, createSupplier } from '../services/purchasing.service.js';
import { adjustStock } from '../services/stock.service.js';
import { demoClock, playHistory } from './demo-history.js';

const DAY = 86_400_000;

const MODELS = ['iPhone 16', 'iPhone 16 Pro', 'iPhone 15', 'Galaxy S24', 'Galaxy S24 Ultra', 'Pixel 9'];
const STYLES: { code: string; name: string; price: number; cost: number }[] = [
  { code: 'CLR', name: 'clear case', price: 14.95, cost: 3.2 },
  { code: 'LTH', name: 'leather wallet case', price: 34.95, cost: 11.5 },
  { code: 'SIL', name: 'silicone case', price: 19.95, cost: 4.1 },
  { code: 'RGD', name: 'rugged case', price: 29.95, cost: 8.75 },
];
const CUSTOMERS = [
  { id: 'c-1001', email: 'sanne.devries@example.nl', locale: 'nl' as const, country: 'NL', postcode: '1012AB' },
  { id: 'c-1002', email: 'jonas.mueller@example.de', locale: 'de' as const, country: 'DE', postcode: '10115' },
  { id: 'c-1003', email: 'emma.janssens@example.be', locale: 'nl' as const, country: 'BE', postcode: '2000' },
  { id: 'c-1004', email: 'oliver.smith@example.co.uk', locale: 'en' as const, country: 'GB', postcode: 'SW1A 1AA' },
  { id: 'c-1005', email: 'lena.schmidt@example.de', locale: 'de' as const, country: 'DE', postcode: '80331' },
];

/** A deterministic pseudo-random sequence, so every demo looks the same. */
function sequence(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/**
 * The demo organisation: phone cases selling across bol.com, Amazon and the own webshop, two
 * locations, backorders enabled, channel windows (bol.com 10 days, webshop 30, Amazon until the
 * next FBA shipment) and a Q4 season; three months of history played day by day (demo-history):
 * a reliable supplier restocking every week, a late one whose overdue purchase order the
 * rugged cases wait for, a new supplier held to 3 days of sales (R8), SKUs out of stock waiting
 * for their first delivery, and this afternoon a demand spike (R9). The time-driven checks run
 * once at the end, so alerts and price suggestions are there on first start.
 */
export async function loadDemo(services: Services, name = 'Demo Phone Cases BV') {
  const today = services.now().getTime();
  const days = 84;
  const clock = demoClock(services, Math.floor(today / DAY) * DAY - (days + 1) * DAY + 8 * 3_600_000);
  const sim = clock.services;
  const org = await createOrganisation(sim.store, name, sim.now());
  const caller: Caller = { orgId: org.orgId, role: 'admin', keyId: org.adminKey.id };
  await updateSettings(sim, caller, { backordersEnabled: true });

  await createLocation(sim, caller, { code: 'ams', name: 'Amsterdam warehouse', kind: 'warehouse', country: 'NL', latitude: 52.37, longitude: 4.9 });
  await createLocation(sim, caller, { code: 'fba-de', name: 'Amazon FBA Leipzig', kind: 'amazon_fba', country: 'DE', latitude: 51.34, longitude: 12.37 });
  // R7 windows from the articles: bol.com up to 10 days, the own webshop a month, Amazon only
  // what arrives before the next FBA shipment (every Tuesday, stock in by Monday).
  await createChannel(sim, caller, { code: 'bol', name: 'bol.com', kind: 'bol', acceptsBackorders: true, priority: 2, locations: ['ams'], window: { kind: 'days', days: 10 } });
  await createChannel(sim, caller, {
    code: 'amazon',
    name: 'Amazon.de',
    kind: 'amazon',
    acceptsBackorders: true,
    priority: 1,
    locations: ['fba-de', 'ams'],
    window: { kind: 'until_next_shipment', shipmentDays: [2], cutoffDays: 1 },
  });
  await createChannel(sim, caller, { code: 'webshop', name: 'Own webshop', kind: 'webshop', acceptsBackorders: true, priority: 3, locations: ['ams'], window: { kind: 'days', days: 30 } });
  // R15: Q4 — a higher ratio and windows × 1.5 from October to the end of the year.
  const year = new Date(today).getUTCFullYear();
  await createSeason(sim, caller, { name: `Q4 ${year}`, startsOn: `${year}-10-01`, endsOn: `${year}-12-31`, acceptanceRatio: 0.85, windowMultiplier: 1.5 });

  const random = sequence(42);
  const skus: string[] = [];
  const outOfStock: string[] = [];
  for (const [m, model] of MODELS.entries()) {
    for (const style of STYLES) {
      const sku = `CASE-${model.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}-${style.code}`;
      skus.push(sku);
      await createProduct(sim, caller, { sku, name: `${model} ${style.name}`, price: style.price, cost: style.cost });
      // Every fifth SKU is out of stock: it waits for its first delivery.
      if ((m * STYLES.length + skus.length) % 5 === 0) {
        outOfStock.push(sku);
        continue;
      }
      // Rugged cases come from the late supplier and are kept lean: they run out between its deliveries.
      const opening = style.code === 'RGD' ? 6 : 30 + Math.floor(random() * 60);
      await adjustStock(sim, caller, { sku, location: 'ams', delta: opening, kind: 'receipt', reason: 'opening stock' });
      if (random() < 0.5) {
        await adjustStock(sim, caller, { sku, location: 'fba-de', delta: 10 + Math.floor(random() * 30), kind: 'receipt', reason: 'FBA inbound shipment' });
      }
    }
  }
  const inStock = skus.filter((s) => !outOfStock.includes(s));
  const caseworks = await createSupplier(sim, caller, { name: 'Shenzhen CaseWorks', leadTimeDays: 10 });
  const phonegear = await createSupplier(sim, caller, { name: 'Guangzhou PhoneGear', leadTimeDays: 14 });
  const leder = await createSupplier(sim, caller, { name: 'Leder & Co', leadTimeDays: 10 });
  const day = (offset: number) => new Date(today + offset * DAY).toISOString().slice(0, 10);

  await playHistory(clock, {
    caller,
    today,
    days,
    random,
    steady: inStock.filter((s) => !s.endsWith('-RGD')),
    lateSupplied: inStock.filter((s) => s.endsWith('-RGD')),
    waiting: outOfStock,
    newFromDay: 12,
    reliable: caseworks.id,
    late: phonegear.id,
    customers: CUSTOMERS,
    onDay: async (daysAgo) => {
      if (daysAgo === 12) {
        await createPurchaseOrder(sim, caller, { number: 'PO-2026-0004', supplierId: caseworks.id, location: 'ams', expectedDate: day(9), lines: outOfStock.map((sku) => ({ sku, qty: 40 })) });
      }
      if (daysAgo === 5) {
        await createPurchaseOrder(sim, caller, {
          number: 'PO-2026-0005',
          supplierId: leder.id,
          location: 'ams',
          expectedDate: day(16),
          lines: skus.filter((s) => s.endsWith('-LTH')).slice(0, 3).map((sku) => ({ sku, qty: 30 })),
        });
      }
    },
  });

  // R9: this afternoon one clear case sells 50 in a few hours — about 1 a day before.
  clock.at(today);
  const spiking = inStock.find((s) => s.endsWith('-CLR'))!;
  for (let i = 0; i < 20; i++) {
    await placeOrder(sim, caller, {
      channel: i % 3 === 0 ? 'webshop' : 'bol',
      externalId: `SPIKE-${300000 + i}`,
      placedAt: new Date(today - (20 - i) * 12 * 60_000).toISOString(),
      customer: CUSTOMERS[i % CUSTOMERS.length]!,
      lines: [{ sku: spiking, qty: i % 2 === 0 ? 3 : 2, unitPrice: 14.95 }],
    });
  }
  await runChecks(services);
  return org;
}
