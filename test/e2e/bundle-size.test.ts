import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../concurrency/processes.js';

const WEB = join(REPO_ROOT, 'dist', 'web');
const LIMIT_BYTES = 500 * 1024;

/** The files the first page loads before it can show anything: index.html's scripts, preloads and stylesheets. */
function entryFiles(indexHtml: string): string[] {
  const refs = [...indexHtml.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  return [...new Set(refs)];
}

describe('Dashboard bundle (issue 7)', () => {
  it('the first page’s JavaScript and CSS are at most 500 KB gzipped', () => {
    expect(existsSync(join(WEB, 'index.html')), 'dist/web is missing: run `npm run build`').toBe(true);
    const files = entryFiles(readFileSync(join(WEB, 'index.html'), 'utf8'));
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    const sizes = files.map((f) => ({ file: f, gzipped: gzipSync(readFileSync(join(WEB, f)), { level: 9 }).length }));
    const total = sizes.reduce((n, s) => n + s.gzipped, 0);
    console.info(`dashboard entry, gzipped: ${sizes.map((s) => `${s.file} ${(s.gzipped / 1024).toFixed(1)} KB`).join(', ')}; total ${(total / 1024).toFixed(1)} KB of ${LIMIT_BYTES / 1024} KB`);
    expect(total).toBeLessThanOrEqual(LIMIT_BYTES);
  });
});
