import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, startCluster } from '../concurrency/processes.js';
import { callApi } from '../support/harness.js';
import type { ApiCaller } from '../support/fixtures.js';

export interface E2eServer extends ApiCaller {
  readonly baseUrl: string;
  readonly organisation: string;
  stop(): Promise<void>;
}

/**
 * The real built server (`node dist/cli/main.js serve --no-demo`) on a fresh SQLite file in a
 * temp dir, with one organisation made by `stockbridge init`: the test knows all of its data.
 * `key` is that organisation's admin key; `api` calls the server as the tests under test/api do.
 */
export async function startE2eServer(organisation = 'E2E Phone Cases BV', env: Record<string, string> = {}): Promise<E2eServer> {
  const dir = mkdtempSync(join(tmpdir(), 'stockbridge-e2e-'));
  const databaseUrl = `sqlite:${join(dir, 'e2e.db')}`;
  const printed = execFileSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'main.js'), 'init', '--org', organisation], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  const key = /(sb_[A-Za-z0-9_-]{40})/.exec(printed)?.[1];
  if (!key) throw new Error(`stockbridge init printed no key:\n${printed}`);
  const cluster = await startCluster({ databaseUrl, count: 1, env });
  const baseUrl = cluster.baseUrls[0]!;
  return {
    baseUrl,
    organisation,
    key,
    api: (method, path, body, o) => callApi(baseUrl, method, path, body, o?.key === undefined ? key : o.key, o?.headers),
    stop: async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
