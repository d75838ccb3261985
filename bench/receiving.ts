/**
 * `npm run bench:receiving`: one receipt that fills waiting backorders, on SQLite and
 * PostgreSQL, under FIFO and a three-rule policy, at several numbers of waiting parts: the
 * time of ONE receivePurchaseOrder call and, in the same run, of the raw-SQL floor for the same
 * writes; checks after every receipt (non-zero exit on a violation, or when the raw floor chose
 * other parts or wrote other row counts than the real path).
 *
 * Env: BENCH_RECEIVING_SIZES (5000,10000,20000 waiting parts; the receipt is half as many
 * units), BENCH_RECEIVING_REPS (5 measured repetitions per way), BENCH_RECEIVING_WARMUP (1 per
 * cell, not counted), BENCH_RECEIVING_SEED_INFLIGHT (8 placeOrder calls in flight while
 * seeding), BENCH_SEED (42), BENCH_ONLY (comma-separated cell ids like
 * `pg/receiving/three-rule/20000`; `sqlite/*` = prefix, as for bench/run.ts),
 * BENCH_RECEIVING_OUT (write JSON there), BENCH_RECEIVING_PROFILE_DIR (write a .cpuprofile of
 * every timed real receipt), BENCH_RECEIVING_TRACE (print the time of every timed real receipt
 * by statement), BENCH_PG_URL (admin URL).
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { Dialect } from '../src/store/db.js';
import { dropAll, PG_ADMIN_URL, postgresVersion } from './databases.js';
import { envInteger, loadLine, revision } from './machine.js';
import type { ReceiptRowCounts } from './receiving-checks.js';
import { lookOptions, prepareLooks, type Looks } from './receiving-instrumentation.js';
import { measureReceipt, seedTemplates, type Repetition, type Template, type Way } from './receiving-measure.js';
import { f0, f1, summarize, table, targets, type Cell, type CellResult } from './receiving-report.js';
import { POLICIES } from './receiving-workload.js';

const SIZES = (process.env.BENCH_RECEIVING_SIZES ?? '5000,10000,20000').split(',').map((s) => {
  const v = Number(s);
  if (!Number.isInteger(v) || v < 2) throw new Error('BENCH_RECEIVING_SIZES must be integers ≥ 2');
  return v;
});
const REPS = envInteger('BENCH_RECEIVING_REPS', 5);
const WARMUP = envInteger('BENCH_RECEIVING_WARMUP', 1, 0);
const SEED_INFLIGHT = envInteger('BENCH_RECEIVING_SEED_INFLIGHT', 8);
const SEED = envInteger('BENCH_SEED', 42);
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
const LOOKS: Looks = { profileDir: process.env.BENCH_RECEIVING_PROFILE_DIR, trace: Boolean(process.env.BENCH_RECEIVING_TRACE) };

const short = (d: Dialect) => (d === 'sqlite' ? 'sqlite' : 'pg');
const selected = (id: string) => ONLY.length === 0 || ONLY.some((o) => (o.endsWith('*') ? id.startsWith(o.slice(0, -1)) : id === o));

function cells(dialect: Dialect): Cell[] {
  return [...SIZES]
    .sort((a, b) => a - b)
    .flatMap((size) => Object.keys(POLICIES).map((policy) => ({ id: `${short(dialect)}/receiving/${policy}/${size}`, dialect, policy, size })))
    .filter((c) => selected(c.id));
}

const sameCounts = (a: ReceiptRowCounts, b: ReceiptRowCounts) => (Object.keys(a) as (keyof ReceiptRowCounts)[]).every((k) => a[k] === b[k]);

async function measureCell(cell: Cell, template: Template): Promise<CellResult> {
  const loadBefore = loadavg()[0]!;
  const policy = POLICIES[cell.policy]!;
  const real: number[] = [];
  const raw: number[] = [];
  const violations: string[] = [];
  let sameChoice = true;
  let counts: ReceiptRowCounts | null = null;
  let received = 0;
  const opts = lookOptions(LOOKS, cell.id);
  for (let i = 0; i < WARMUP + REPS; i++) {
    // Alternate which way goes first, so drift in the machine's speed hits both alike.
    const order: Way[] = i % 2 === 0 ? ['real', 'raw'] : ['raw', 'real'];
    const reps = new Map<Way, Repetition>();
    for (const way of order) reps.set(way, await measureReceipt(template, policy, way, i >= WARMUP ? opts : {}));
    const r = reps.get('real')!;
    const w = reps.get('raw')!;
    received = r.received;
    for (const rep of [r, w]) for (const v of rep.check.violations) violations.push(`${rep.way} #${i + 1}: ${v}`);
    if (r.handedTo.length !== w.handedTo.length || r.handedTo.some((id, k) => w.handedTo[k] !== id)) {
      sameChoice = false;
      const k = r.handedTo.findIndex((id, j) => w.handedTo[j] !== id);
      violations.push(`#${i + 1}: the raw floor handed units to other orders than the real path (first difference at position ${k + 1} of ${r.handedTo.length})`);
    }
    if (!sameCounts(r.check.counts, w.check.counts)) {
      violations.push(`#${i + 1}: row counts differ: real ${JSON.stringify(r.check.counts)} raw ${JSON.stringify(w.check.counts)}`);
    }
    counts = r.check.counts;
    if (i >= WARMUP) {
      real.push(r.ms);
      raw.push(w.ms);
    }
  }
  return { ...cell, received, real: summarize(real), raw: summarize(raw), sameChoice, counts: counts!, violations, load: [loadBefore, loadavg()[0]!] };
}

async function main(): Promise<number> {
  prepareLooks(LOOKS);
  const cores = cpus().length;
  const rev = revision();
  const pgVersion = await postgresVersion();
  console.log(`Stockbridge receiving benchmark — ${new Date().toISOString()} — commit ${rev}`);
  console.log(`node ${process.version}, ${cores} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; sizes ${SIZES.join(', ')} waiting parts; ${REPS} repetitions (+${WARMUP} warm-up) per way; seed ${SEED}`);
  console.log(loadLine());
  const dialects: Dialect[] = ['sqlite'];
  if (pgVersion) {
    console.log(`PostgreSQL: ${pgVersion}`);
    dialects.push('postgres');
  } else {
    console.log(`\n!!!!! PostgreSQL unreachable at ${PG_ADMIN_URL}: SKIPPING every PostgreSQL receiving run !!!!!\n`);
  }
  if (dialects.every((d) => cells(d).length === 0)) {
    console.log(`BENCH_ONLY=${ONLY.join(',')} selects no receiving cell (ids look like sqlite/receiving/fifo/20000): nothing to do.`);
    return 0;
  }
  const results: CellResult[] = [];
  const seeding: Record<string, unknown>[] = [];
  for (const dialect of dialects) {
    const todo = cells(dialect);
    if (todo.length === 0) continue;
    const sizes = [...new Set(todo.map((c) => c.size))];
    console.log(`seeding ${dialect}: ${Math.max(...sizes).toLocaleString('en-US')} waiting orders through placeOrder, ${SEED_INFLIGHT} in flight …`);
    const templates = await seedTemplates(dialect, sizes, SEED, SEED_INFLIGHT, (size, r) => {
      seeding.push({ dialect, size, ...r });
      console.log(`  up to ${size.toLocaleString('en-US')}: ${r.orders.toLocaleString('en-US')} orders in ${r.seconds.toFixed(1)} s (${f0(r.orders / r.seconds)} orders/s)`);
    });
    try {
      for (const cell of todo) {
        process.stdout.write(`running ${cell.id} …`);
        const r = await measureCell(cell, templates.get(cell.size)!);
        results.push(r);
        process.stdout.write(
          ` receipt ${f1(r.real.medianMs)} ms [${r.real.samples.map(f0).join(', ')}], raw ${f1(r.raw.medianMs)} ms [${r.raw.samples.map(f0).join(', ')}]; ` +
            `${f0(r.counts.allocatedUnits)} units to ${f0(r.counts.partAllocatedEvents)} parts; checks ${r.violations.length === 0 ? 'ok' : 'VIOLATED'}\n`,
        );
        for (const v of r.violations) console.error(`  ! ${v}`);
      }
    } finally {
      for (const t of templates.values()) await t.db.drop();
    }
  }

  console.log(`\n${table(results)}\n`);
  console.log('Targets (reported, not enforced):');
  const t = targets(results, Object.keys(POLICIES));
  for (const x of t) console.log(`  [${x.met ? 'PASS' : 'FAIL'}] ${x.name}: ${x.detail}`);
  const violated = results.filter((r) => r.violations.length > 0);
  console.log(violated.length ? `\nRECEIPT CHECKS VIOLATED in: ${violated.map((r) => r.id).join(', ')}` : '\nReceipt checks: ok after every receipt; the raw floor chose the same parts and wrote the same row counts.');
  console.log(loadLine());
  if (process.env.BENCH_RECEIVING_OUT) {
    const machine = { revision: rev, cores, memGiB: totalmem() / 2 ** 30, node: process.version, postgres: pgVersion };
    const settings = { sizes: SIZES, reps: REPS, warmup: WARMUP, seedInFlight: SEED_INFLIGHT, seed: SEED };
    writeFileSync(process.env.BENCH_RECEIVING_OUT, JSON.stringify({ date: new Date().toISOString(), machine, settings, seeding, results, targets: t }, null, 2));
    console.log(`wrote ${process.env.BENCH_RECEIVING_OUT}`);
  }
  return violated.length ? 1 : 0;
}

main()
  .then(async (code) => {
    await dropAll();
    process.exit(code);
  })
  .catch(async (err: unknown) => {
    console.error(err);
    await dropAll();
    process.exit(2);
  });
