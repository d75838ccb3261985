import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths the dashboard never answers for: an unknown one there stays a problem+json 404. */
const NOT_PAGES = /^\/(v1|docs|openapi\.json|metrics|healthz?)(\/|\?|$)/;

export interface Dashboard {
  /** A browser asking for a page of the dashboard (a deep link or a reload): it gets index.html. */
  isPage(request: FastifyRequest): boolean;
  sendPage(reply: FastifyReply): FastifyReply;
}

/**
 * The web dashboard (issue 7): the files `vite build` wrote to `dir` (dist/web), served at `/`.
 * Hashed assets are cached for a year, index.html never, so a new build shows on the next load.
 * Without a build, `/` says so instead of failing.
 */
export async function registerDashboard(app: FastifyInstance, dir: string | undefined): Promise<Dashboard> {
  if (!dir || !existsSync(join(dir, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html').send(notBuiltPage(dir)));
    return { isPage: () => false, sendPage: (reply) => reply };
  }
  await app.register(fastifyStatic, {
    root: dir,
    wildcard: false,
    index: 'index.html',
    schemaHide: true,
    cacheControl: false,
    setHeaders: (res, path) => {
      res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return {
    isPage: (request) =>
      (request.method === 'GET' || request.method === 'HEAD') &&
      (request.headers.accept ?? '').includes('text/html') &&
      !NOT_PAGES.test(request.url),
    sendPage: (reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'),
  };
}

function notBuiltPage(dir: string | undefined): string {
  return (
    '<!doctype html><meta charset="utf-8"><title>Stockbridge</title><h1>Stockbridge</h1>' +
    `<p>The dashboard is not built${dir ? ` (no index.html in ${escapeHtml(dir)})` : ''}: run <code>npm run build</code> and start again.</p>` +
    '<p>API: <a href="/docs">/docs</a> (OpenAPI: <a href="/openapi.json">/openapi.json</a>), health: <a href="/healthz">/healthz</a>.</p>'
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
