import type { Caller, Services } from '../services/context.js';
import { createChannel } from '../services/channels.service.js';
import { createLocation } from '../services/locations.service.js';
import { placeOrder } from '../services/order-intake.service.js';
import { createOrganisation, createSeason, updateSettings } from '../services/organisations.service.js';
import { createProduct } from '../services/products.service.js';
import { createPurchaseOrder, createSupplier } from '../services/purchasing.service.js';
import { receivePurchaseOrder } from '../services/receiving.service.js';
import { adjustStock } from '../services/stock.service.js';

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
 * The demo organisation: phone cases selling ~20 a day across bol.com, Amazon and the own
 * webshop, two locations, some SKUs out of stock, backorders enabled, channel windows (bol.com 10
 * days, webshop 30, Amazon until the next FBA shipment) and a Q4 season, two suppliers (one with
 * a delivery history, one new and so held to 3 days of sales, R8) with purchase orders on their
 * way, and two weeks of orders — the waiting ones promised against those purchase orders.
 */
export async function loadDemo(services: Services, name = 'Demo Phone Cases BV') {
  const org = await createOrganisation(services.store, name, services.now());
  const caller: Caller = { orgId: org.orgId, role: 'admin', keyId: org.adminKey.id };
  await updateSettings(services, caller, { backordersEnabled: true });

  await createLocation(services, caller, { code: 'ams', name: 'Amsterdam warehouse', kind: 'warehouse', country: 'NL', latitude: 52.37, longitude: 4.9 });
  await createLocation(services, caller, { code: 'fba-de', name: 'Amazon FBA Leipzig', kind: 'amazon_fba', country: 'DE', latitude: 51.34, longitude: 12.37 });
  // R7 windows from the articles: bol.com up to 10 days, the own webshop a month, Amazon only
  // what arrives before the next FBA shipment (every Tuesday, stock in by Monday).
  await createChannel(services, caller, { code: 'bol', name: 'bol.com', kind: 'bol', acceptsBackorders: true, priority: 2, locations: ['ams'], window: { kind: 'days', days: 10 } });
  await createChannel(services, caller, {
    code: 'amazon',
    name: 'Amazon.de',
    kind: 'amazon',
    acceptsBackorders: true,
    priority: 1,
    locations: ['fba-de', 'ams'],
    window: { kind: 'until_next_shipment', shipmentDays: [2], cutoffDays: 1 },
  });
  await createChannel(services, caller, { code: 'webshop', name: 'Own webshop', kind: 'webshop', acceptsBackorders: true, priority: 3, locations: ['ams'], window: { kind: 'days', days: 30 } });
  // R15: Q4 — a higher ratio and windows × 1.5 from October to the end of the year.
  const year = services.now().getUTCFullYear();
  await createSeason(services, caller, { name: `Q4 ${year}`, startsOn: `${year}-10-01`, endsOn: `${year}-12-31`, acceptanceRatio: 0.85, windowMultiplier: 1.5 });

  const random = sequence(42);
  const skus: string[] = [];
  const outOfStock: string[] = [];
  for (const [m, model] of MODELS.entries()) {
    for (const style of STYLES) {
      const sku = `CASE-${model.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}-${style.code}`;
      skus.push(sku);
      await createProduct(services, caller, { sku, name: `${model} ${style.name}`, price: style.price, cost: style.cost });
      // Every fifth SKU is out of stock: its orders become backorders.
      if ((m * STYLES.length + skus.length) % 5 === 0) {
        outOfStock.push(sku);
        continue;
      }
      await adjustStock(services, caller, { sku, location: 'ams', delta: 20 + Math.floor(random() * 120), kind: 'receipt', reason: 'opening stock' });
      if (random() < 0.5) {
        await adjustStock(services, caller, { sku, location: 'fba-de', delta: 10 + Math.floor(random() * 40), kind: 'receipt', reason: 'FBA inbound shipment' });
      }
    }
  }

  const now = services.now().getTime();
  const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
  const inStock = skus.filter((s) => !outOfStock.includes(s));
  const caseworks = await createSupplier(services, caller, { name: 'Shenzhen CaseWorks', leadTimeDays: 21 });
  const leder = await createSupplier(services, caller, { name: 'Leder & Co', leadTimeDays: 10 });
  // Three earlier deliveries (0, 1 and 0 days late) make CaseWorks a reliable supplier (R8).
  for (const [n, [expected, late]] of [
    [-70, 0],
    [-49, 1],
    [-28, 0],
  ].entries()) {
    const po = await createPurchaseOrder(services, caller, {
      number: `PO-2026-${String(n + 1).padStart(4, '0')}`,
      supplierId: caseworks.id,
      location: 'ams',
      expectedDate: day(expected!),
      lines: [{ sku: inStock[n]!, qty: 50 }],
    });
    await receivePurchaseOrder(services, caller, po.id, { lines: [{ sku: inStock[n]!, good: 50 }], receivedAt: `${day(expected! + late!)}T09:30:00Z` });
  }
  await createPurchaseOrder(services, caller, {
    number: 'PO-2026-0004',
    supplierId: caseworks.id,
    location: 'ams',
    expectedDate: day(9),
    lines: outOfStock.map((sku) => ({ sku, qty: 40 })),
  });
  await createPurchaseOrder(services, caller, {
    number: 'PO-2026-0005',
    supplierId: leder.id,
    location: 'ams',
    expectedDate: day(16),
    lines: skus.filter((s) => s.endsWith('-LTH')).slice(0, 3).map((sku) => ({ sku, qty: 30 })),
  });

  const channels = ['bol', 'bol', 'amazon', 'amazon', 'webshop'];
  const orders = 60;
  for (let i = 0; i < orders; i++) {
    const lines = 1 + Math.floor(random() * 2);
    const chosen = new Set<string>();
    while (chosen.size < lines) chosen.add(skus[Math.floor(random() ** 2 * skus.length)]!);
    const customer = CUSTOMERS[Math.floor(random() * CUSTOMERS.length)]!;
    const channel = channels[i % channels.length]!;
    await placeOrder(services, caller, {
      channel,
      externalId: `${channel.toUpperCase()}-${100000 + i}`,
      placedAt: new Date(now - (orders - i) * 5 * 3600 * 1000).toISOString(),
      customer,
      lines: [...chosen].map((sku) => ({ sku, qty: 1 + Math.floor(random() * 3), unitPrice: 19.95 })),
    });
  }
  return org;
}
