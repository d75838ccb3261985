/**
 * The workload of the receiving concurrency suite (R5, R6, R19 under several processes): the
 * purchase orders and their receipts, the orders placed before the burst (the queue the receipts
 * fill), and the burst itself: new orders, receipts, same-moment receipt pairs, a receipt replayed
 * under one Idempotency-Key, and cancellations of whole orders and of parts, some fired the moment
 * a part was created or allocated. Every request and its answer is recorded, so the checks can
 * compute what must be true from what the clients were told.
 */
import { request, runPool, seedCatalogue, type Cluster, type Response, type SeededCatalogue } from './processes.js';

export type Kind = 'order' | 'receipt' | 'cancel-order' | 'cancel-part';

export interface Sent {
  readonly kind: Kind;
  readonly label: string;
  readonly process: number;
  readonly path: string;
  readonly body: unknown;
  readonly res: Response;
  /** Receipts: which purchase order of the plan. */
  readonly po?: PoRole;
  /** Cancellations: the order and, for a part, the part. */
  readonly orderId?: string;
  readonly partId?: string;
}

export interface ReceiptBody {
  lines: { sku: string; good: number; damaged?: number }[];
}

/** One purchase order per role, so each one's expected figures follow from its own receipts. */
export const PURCHASE_ORDERS = {
  /** Three partial receipts (two with damaged units) from three processes at different moments. */
  sequential: { qty: 80, receipts: [{ good: 10, damaged: 2 }, { good: 15 }, { good: 20, damaged: 1 }] },
  /** Two receipts at the same instant from two processes; 28 + 30 ≤ 60: both count. */
  pairFits: { qty: 60, receipts: [{ good: 25, damaged: 3 }, { good: 30 }] },
  /** Two receipts at the same instant; each fits alone, 30 + 25 > 40 together: exactly one is refused (OVER_RECEIPT). */
  pairExceeds: { qty: 40, receipts: [{ good: 30 }, { good: 23, damaged: 2 }] },
  /** One receipt body under one Idempotency-Key, sent to two processes at once: counts once. Twice would still fit (80 ≤ 100), so only the key can stop it. */
  idempotent: { qty: 100, receipts: [{ good: 35, damaged: 5 }] },
  /** Received in full in one receipt: the purchase order becomes received. */
  complete: { qty: 30, receipts: [{ good: 28, damaged: 2 }] },
  /** A receipt of damaged units only (nothing enters stock), and one of good units. */
  damagedOnly: { qty: 20, receipts: [{ good: 0, damaged: 4 }, { good: 8 }] },
  /** Ten small receipts: each splits the order at the head of the queue (R4). */
  trickle: { qty: 40, receipts: Array.from({ length: 10 }, (_, i) => ({ good: 2 + (i % 2), ...(i % 4 === 0 ? { damaged: 1 } : {}) })) },
} as const;

export type PoRole = keyof typeof PURCHASE_ORDERS;
export const PO_ROLES = Object.keys(PURCHASE_ORDERS) as PoRole[];

export interface Queue extends SeededCatalogue {
  readonly key: string;
  /** The 201 bodies of the orders placed before the burst, oldest first. */
  readonly queue: any[];
}

export interface World extends Queue {
  readonly purchaseOrders: Record<PoRole, { id: string; number: string }>;
  /** The 201 body of the bulk order that is served last and never cancelled (see setUpWorld). */
  readonly bulk: any;
}

export const INITIAL_STOCK = 30;
const QUEUE_ORDERS = 150;
/** The split race: this many orders of SPLIT_QTY waiting, and as many receipts of one unit. */
export const SPLIT_ORDERS = 40;
const SPLIT_QTY = 5;
export const BURST_ORDERS = 300;
/**
 * More than the burst can ever hand out (initial stock + every good unit of every receipt + at
 * most 4 units released by each of the ~150 cancellations < 900), so the bulk order still waits
 * at the end and therefore waited at every moment: every receipt must hand all its good units to
 * waiting parts (R5), every cancellation its freed units (R19).
 */
export const BULK_QTY = 1000;
const IN_FLIGHT = 64;

/** Shuffles in place with the given PRNG (Fisher–Yates), so a run can be replayed exactly. */
function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export function orderBody(world: SeededCatalogue, externalId: string, i: number, qty: number, complete: boolean) {
  return {
    channel: world.channels[i % world.channels.length]!,
    externalId,
    ...(complete ? { shippingPreference: 'complete' } : {}),
    customer: { id: `cust-${i % 53}`, email: `buyer${i % 53}@example.nl`, locale: 'nl', country: 'NL' },
    lines: [{ sku: world.sku, qty, unitPrice: 12.5 }],
  };
}

/**
 * Over the HTTP API: backorders on, one SKU with INITIAL_STOCK units at one warehouse, three
 * channels, a supplier, one open purchase order per role, QUEUE_ORDERS orders (1–4 units, some
 * shipping complete) that take the stock and then wait, and one bulk order of BULK_QTY with the
 * lowest manual priority (R6: served after every other order).
 */
export async function setUpWorld(cluster: Cluster, key: string, random: () => number): Promise<World> {
  const seeded = await seedCatalogue(cluster.baseUrls[0]!, key, { tag: 'rcv', channels: 3, stock: INITIAL_STOCK });
  // The supplier is new and the SKU has no sales history: R8's cap (3 days of sales) would
  // promise nothing, and promises under concurrency are what this storm checks too.
  const settings = await request(cluster.baseUrls[0]!, 'PATCH', '/v1/settings', { key, body: { cappedSalesDays: null } });
  if (settings.status !== 200) throw new Error(`setup PATCH /v1/settings: ${settings.status} ${settings.text}`);
  const supplier = await mustCreate(cluster, key, '/v1/suppliers', { name: 'Case Factory', leadTimeDays: 10 });
  const purchaseOrders = {} as Record<PoRole, { id: string; number: string }>;
  for (const role of PO_ROLES) purchaseOrders[role] = await openPurchaseOrder(cluster, key, seeded, supplier.id, `PO-${role}`, PURCHASE_ORDERS[role].qty);
  const specs = Array.from({ length: QUEUE_ORDERS }, () => ({ qty: 1 + Math.floor(random() * 4), complete: random() < 0.15 }));
  const queue = await placeQueue(cluster, key, seeded, specs);
  const bulk = await mustCreate(cluster, key, '/v1/orders', {
    ...orderBody(seeded, 'BULK-1', 0, BULK_QTY, false),
    priority: -1000,
    customer: { id: 'b2b-bulk', email: 'purchasing@example.nl', locale: 'nl', country: 'NL' },
  });
  return { ...seeded, key, purchaseOrders, queue, bulk };
}

async function mustCreate(cluster: Cluster, key: string, path: string, body: unknown) {
  const res = await request(cluster.baseUrls[0]!, 'POST', path, { key, body });
  if (res.status !== 201) throw new Error(`setup POST ${path}: ${res.status} ${res.text}`);
  return res.body;
}

async function openPurchaseOrder(cluster: Cluster, key: string, seeded: SeededCatalogue, supplierId: string, number: string, qty: number) {
  const po = await mustCreate(cluster, key, '/v1/purchase-orders', { number, supplierId, location: seeded.location, expectedDate: '2026-11-01', lines: [{ sku: seeded.sku, qty }] });
  return { id: po.id as string, number: po.number as string };
}

/** Places one order per spec, a few at a time (so placedAt, FIFO in R6, follows the index closely); 201 bodies, oldest first. */
async function placeQueue(cluster: Cluster, key: string, seeded: SeededCatalogue, specs: { qty: number; complete: boolean }[]): Promise<any[]> {
  const placed = await runPool(specs.length, 8, (i) =>
    request(cluster.baseUrls[i % cluster.baseUrls.length]!, 'POST', '/v1/orders', { key, body: orderBody(seeded, `Q-${i}`, i, specs[i]!.qty, specs[i]!.complete) }),
  );
  const bad = placed.filter((r) => r.status !== 201);
  if (bad.length > 0) throw new Error(`setup orders: ${bad.length} not 201, first: ${bad[0]!.status} ${bad[0]!.text}`);
  return placed.map((r) => r.body).sort((a, b) => (a.placedAt < b.placedAt ? -1 : a.placedAt > b.placedAt ? 1 : a.id < b.id ? -1 : 1));
}

export interface BurstOutcome {
  readonly sent: Sent[];
  readonly ms: number;
}

const partOf = (order: any, status: string) => (order.parts as any[]).find((p) => p.status === status);

/** POSTs that record themselves in `sent`, round robin over the processes unless one is named. */
function recorder(cluster: Cluster, key: string) {
  const sent: Sent[] = [];
  let next = 0;
  const send = async (kind: Kind, label: string, path: string, body: unknown, meta: { process?: number; headers?: Record<string, string>; po?: PoRole; orderId?: string; partId?: string } = {}) => {
    const process = meta.process ?? next++ % cluster.baseUrls.length;
    const res = await request(cluster.baseUrls[process]!, 'POST', path, { key, body, headers: meta.headers });
    const s: Sent = { kind, label, process, path, body, res, po: meta.po, orderId: meta.orderId, partId: meta.partId };
    sent.push(s);
    return s;
  };
  return {
    sent,
    send,
    cancelOrder: (label: string, orderId: string, process?: number) => send('cancel-order', label, `/v1/orders/${orderId}/cancel`, { reason: label }, { orderId, process }),
    cancelPart: (label: string, orderId: string, partId: string, process?: number) =>
      send('cancel-part', label, `/v1/orders/${orderId}/parts/${partId}/cancel`, { reason: label }, { orderId, partId, process }),
    receive: (label: string, poId: string, body: ReceiptBody, meta: { process?: number; headers?: Record<string, string>; po?: PoRole } = {}) =>
      send('receipt', label, `/v1/purchase-orders/${poId}/receipts`, body, meta),
  };
}

/**
 * Everything at once, request after request spread over the processes (round robin, unless a
 * pair names its two processes), IN_FLIGHT tasks in flight, in an order shuffled by `random`.
 */
export async function runBurst(cluster: Cluster, world: World, random: () => number): Promise<BurstOutcome> {
  const { sent, send, cancelOrder, cancelPart, receive: post } = recorder(cluster, world.key);
  const receiptBody = (r: { good: number; damaged?: number }): ReceiptBody => ({ lines: [{ sku: world.sku, ...r }] });
  const receive = (label: string, po: PoRole, body: ReceiptBody, meta: { process?: number; headers?: Record<string, string> } = {}) =>
    post(label, world.purchaseOrders[po].id, body, { ...meta, po });

  const tasks: (() => Promise<unknown>)[] = [];

  // Receipts. A receipt that handed units to waiting parts: cancel one of those parts at once
  // (a part that was just allocated, R19: its units go to the next in line).
  const receiveAndCancelOne = async (label: string, po: PoRole, body: ReceiptBody, cancelFirst: boolean) => {
    const s = await receive(label, po, body);
    const dock = s.res.status === 201 ? (s.res.body.crossDock as any[]) : [];
    const pick = cancelFirst ? dock[0] : dock[dock.length - 1];
    if (pick) await cancelPart(`${label}: cancel a part it just filled`, pick.orderId, pick.partId);
  };
  PURCHASE_ORDERS.sequential.receipts.forEach((r, i) => tasks.push(() => receiveAndCancelOne(`sequential #${i + 1}`, 'sequential', receiptBody(r), i === 1)));
  PURCHASE_ORDERS.trickle.receipts.forEach((r, i) => tasks.push(() => receiveAndCancelOne(`trickle #${i + 1}`, 'trickle', receiptBody(r), i % 3 === 0)));
  PURCHASE_ORDERS.damagedOnly.receipts.forEach((r, i) => tasks.push(() => receive(`damaged-only #${i + 1}`, 'damagedOnly', receiptBody(r))));
  tasks.push(() => receiveAndCancelOne('complete', 'complete', receiptBody(PURCHASE_ORDERS.complete.receipts[0]), true));
  for (const role of ['pairFits', 'pairExceeds'] as const) {
    const [a, b] = PURCHASE_ORDERS[role].receipts;
    tasks.push(() => Promise.all([receive(`${role} A`, role, receiptBody(a), { process: 0 }), receive(`${role} B`, role, receiptBody(b), { process: 1 })]));
  }
  const idem = { headers: { 'idempotency-key': `receipt-${world.purchaseOrders.idempotent.id}` } };
  const idemBody = receiptBody(PURCHASE_ORDERS.idempotent.receipts[0]);
  tasks.push(() => Promise.all([receive('idempotent A', 'idempotent', idemBody, { ...idem, process: 2 }), receive('idempotent B', 'idempotent', idemBody, { ...idem, process: 3 })]));

  // Cancellations of the queue placed before the burst. The oldest waiting orders are the ones
  // the receipts are filling and splitting right now: cancel them whole.
  const queue = [...world.queue];
  const waitingHead = queue.filter((o) => partOf(o, 'backorder') && o.lines[0].waiting >= 2).slice(0, 8);
  const rest = shuffle(queue.filter((o) => !waitingHead.includes(o)), random);
  const withOpen = rest.filter((o) => partOf(o, 'open'));
  const openTargets = withOpen.slice(0, 6);
  const others = rest.filter((o) => !openTargets.includes(o) && partOf(o, 'backorder'));
  const wholeTargets = [...waitingHead, ...others.slice(0, 20)];
  const backorderTargets = others.slice(20, 45);
  const doubleTargets = others.slice(45, 53);
  for (const o of wholeTargets) tasks.push(() => cancelOrder('queue: cancel the order', o.id));
  for (const o of backorderTargets) tasks.push(() => cancelPart('queue: cancel the backorder part', o.id, partOf(o, 'backorder').id));
  for (const o of openTargets) tasks.push(() => cancelPart('queue: cancel the open part', o.id, partOf(o, 'open').id));
  // The order and its waiting part cancelled at the same moment from two processes: one wins.
  for (const o of doubleTargets) {
    tasks.push(() => Promise.all([cancelOrder('double: the order', o.id, 0), cancelPart('double: its backorder part', o.id, partOf(o, 'backorder').id, 3)]));
  }

  // New orders; some cancelled (a part, or whole) the moment they are created.
  for (let i = 0; i < BURST_ORDERS; i++) {
    const qty = 1 + Math.floor(random() * 3);
    const complete = random() < 0.1;
    const then = random();
    tasks.push(async () => {
      const s = await send('order', `new order N-${i}`, '/v1/orders', orderBody(world, `N-${i}`, i, qty, complete));
      if (s.res.status !== 201) return;
      const order = s.res.body;
      if (then < 0.08) await cancelOrder('new: cancel the order at once', order.id);
      else if (then < 0.2) {
        const part = partOf(order, 'backorder') ?? partOf(order, 'open');
        await cancelPart('new: cancel a part at once', order.id, part.id);
      }
    });
  }

  shuffle(tasks, random);
  const started = Date.now();
  await runPool(tasks.length, IN_FLIGHT, (i) => tasks[i]!());
  return { sent, ms: Date.now() - started };
}

/**
 * R19 against R4's split: SPLIT_ORDERS orders of SPLIT_QTY wait; then receipts of one unit each
 * (every one splits the order at the head of the queue: one unit to a new open part) and a
 * cancellation of every order, oldest first, interleaved so each cancel tends to meet a receipt
 * that is splitting that very order.
 */
export async function runSplitRace(cluster: Cluster, key: string): Promise<{ queue: Queue; sent: Sent[]; ms: number }> {
  const seeded = await seedCatalogue(cluster.baseUrls[0]!, key, { tag: 'split', channels: 2, stock: 0 });
  const supplier = await mustCreate(cluster, key, '/v1/suppliers', { name: 'Split Supplier' });
  const po = await openPurchaseOrder(cluster, key, seeded, supplier.id, 'PO-split', SPLIT_ORDERS);
  const queue = await placeQueue(cluster, key, seeded, Array.from({ length: SPLIT_ORDERS }, () => ({ qty: SPLIT_QTY, complete: false })));
  const { sent, cancelOrder, receive } = recorder(cluster, key);
  const tasks = queue.flatMap((order, i) => [
    () => receive(`split receipt #${i + 1}`, po.id, { lines: [{ sku: seeded.sku, good: 1 }] }),
    () => cancelOrder('split: cancel the order', order.id),
  ]);
  const started = Date.now();
  await runPool(tasks.length, 10, (i) => tasks[i]!());
  return { queue: { ...seeded, key, queue }, sent, ms: Date.now() - started };
}

/** Polls the level through the API while `work` runs; every sample must have 0 ≤ reserved ≤ on hand. */
export async function watchStock<T>(cluster: Cluster, key: string, sku: string, work: () => Promise<T>) {
  const monitor = { samples: 0, violations: [] as string[], errors: [] as string[] };
  let done = false;
  const poll = (async () => {
    for (let i = 0; !done; i++) {
      const res = await request(cluster.baseUrls[i % cluster.baseUrls.length]!, 'GET', `/v1/stock/${sku}`, { key });
      if (res.status !== 200) monitor.errors.push(`${res.status} ${res.text.slice(0, 300)}`);
      else {
        monitor.samples++;
        for (const l of res.body.locations) if (l.reserved < 0 || l.reserved > l.onHand) monitor.violations.push(JSON.stringify(l));
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  try {
    return { result: await work(), monitor };
  } finally {
    done = true;
    await poll;
  }
}
