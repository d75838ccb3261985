/** Environment read once into a frozen, typed object. Nothing else reads process.env. */
export interface Config {
  readonly databaseUrl: string;
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
  readonly bodyLimitBytes: number;
  /** SQLite `synchronous` pragma in WAL mode: NORMAL (default) or FULL. See README "Durability". */
  readonly sqliteSynchronous: 'NORMAL' | 'FULL';
  readonly pgPoolSize: number;
  /** R12: `WEBHOOK_ALLOW`, hosts/addresses/CIDR ranges webhooks may reach although they are private or loopback. */
  readonly webhookAllow: string;
  /** R12: `WEBHOOK_DEAD_LETTER_HOURS` (24): a delivery still failing after this is dead-lettered. */
  readonly webhookDeadLetterHours: number;
  /**
   * R12: `WEBHOOK_LEASE_MS` (30000): how long a worker holds a delivery it is attempting; after
   * that another worker may make the next attempt (a worker that died mid-attempt is waited for
   * this long). Keep it above the 10 s request timeout, or a slow but live attempt is taken over.
   */
  readonly webhookLeaseMs: number;
  /** `DISPATCHER=off`: `serve` does not deliver webhooks itself (run `stockbridge worker` instead). */
  readonly dispatcher: boolean;
  /** R11: `SMTP_URL` (smtp://user:pass@host:port or smtps://…) for customer e-mails; empty: the message log only. */
  readonly smtpUrl: string;
  /**
   * R9, R10, R13: `SCHEDULER_INTERVAL_MS` (60000, at least 1000): how often the scheduled checks
   * run (overdue POs, aging backorders, promises at risk, spike pauses, price suggestions); with
   * several processes each check runs in one of them per interval.
   */
  readonly schedulerIntervalMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const sync = (env.SQLITE_SYNCHRONOUS ?? 'NORMAL').toUpperCase();
  if (sync !== 'NORMAL' && sync !== 'FULL') {
    throw new Error(`SQLITE_SYNCHRONOUS must be NORMAL or FULL, got ${sync}`);
  }
  const databaseUrl = env.DATABASE_URL ?? 'sqlite:./data/stockbridge.db';
  if (!/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(databaseUrl)) {
    throw new Error(`DATABASE_URL must be sqlite:<path> or postgres://…, got ${databaseUrl.replace(/\/\/[^@/]*@/, '//…@')}`);
  }
  return Object.freeze({
    databaseUrl,
    host: env.HOST ?? '127.0.0.1',
    port: intFrom(env.PORT, 3000, 'PORT'),
    logLevel: env.LOG_LEVEL ?? 'info',
    bodyLimitBytes: intFrom(env.BODY_LIMIT_BYTES, 1024 * 1024, 'BODY_LIMIT_BYTES'),
    sqliteSynchronous: sync,
    pgPoolSize: intFrom(env.PG_POOL_SIZE, 10, 'PG_POOL_SIZE'),
    webhookAllow: env.WEBHOOK_ALLOW ?? '',
    webhookDeadLetterHours: intFrom(env.WEBHOOK_DEAD_LETTER_HOURS, 24, 'WEBHOOK_DEAD_LETTER_HOURS'),
    webhookLeaseMs: leaseFrom(env.WEBHOOK_LEASE_MS),
    dispatcher: dispatcherFrom(env.DISPATCHER),
    smtpUrl: env.SMTP_URL ?? '',
    schedulerIntervalMs: atLeast(intFrom(env.SCHEDULER_INTERVAL_MS, 60_000, 'SCHEDULER_INTERVAL_MS'), 1_000, 'SCHEDULER_INTERVAL_MS'),
  });
}

function dispatcherFrom(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(`DISPATCHER must be on or off, got ${value}`);
}

/** A lease shorter than a second would let workers take each other's attempts while they are still being sent. */
function leaseFrom(value: string | undefined): number {
  return atLeast(intFrom(value, 30_000, 'WEBHOOK_LEASE_MS'), 1_000, 'WEBHOOK_LEASE_MS');
}

function atLeast(n: number, min: number, name: string): number {
  if (n < min) throw new Error(`${name} must be at least ${min}, got ${n}`);
  return n;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${value}`);
  return n;
}
