/**
 * `stockbridge worker` processes (`node dist/cli/main.js worker`) for the R12 tests: started on
 * one database, killed with SIGKILL at a moment the test picks, or stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './processes.js';

const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const MAX_LINES = 200;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface WorkerProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  readonly spawnedAt: number;
  /** The last lines the process wrote (stdout and stderr). */
  readonly output: string[];
  /** Resolves with the time the banner came (the dispatcher loop is running); rejects if the process exits first. */
  readonly ready: Promise<number>;
  readonly exited: Promise<Exit>;
  exit: Exit | null;
}

export function spawnWorker(databaseUrl: string, env: Record<string, string> = {}): WorkerProcess {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  const child = spawn(process.execPath, [CLI, 'worker'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, WEBHOOK_ALLOW: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let markReady: (at: number) => void = () => {};
  let failReady: (err: Error) => void = () => {};
  const ready = new Promise<number>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  // A worker killed before its banner is an expected outcome; only a waiting test looks at this.
  ready.catch(() => {});
  const keep = (tag: string) => (chunk: string) => {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      output.push(`${tag} ${line}`);
      if (output.length > MAX_LINES) output.shift();
      if (line.startsWith('Stockbridge worker ')) markReady(Date.now());
    }
  };
  child.stdout.setEncoding('utf8').on('data', keep('[out]'));
  child.stderr.setEncoding('utf8').on('data', keep('[err]'));
  const worker: WorkerProcess = {
    pid: child.pid ?? -1,
    child,
    spawnedAt: Date.now(),
    output,
    ready,
    exited: new Promise<Exit>((resolve) =>
      child.once('exit', (code, signal) => {
        worker.exit = { code, signal };
        failReady(new Error(`worker ${child.pid} exited (${JSON.stringify(worker.exit)}) before it was ready:\n${output.join('\n')}`));
        resolve(worker.exit);
      }),
    ),
    exit: null,
  };
  return worker;
}

/** SIGKILL, and the exit it caused (or the one that came before it). */
export async function killHard(worker: WorkerProcess): Promise<Exit> {
  if (!worker.exit) worker.child.kill('SIGKILL');
  return worker.exited;
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`; the exit says which it was. */
export async function stopGracefully(worker: WorkerProcess, graceMs = 15_000): Promise<Exit> {
  if (worker.exit) return worker.exit;
  worker.child.kill('SIGTERM');
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), graceMs);
  const exit = await worker.exited;
  clearTimeout(timer);
  return exit;
}
