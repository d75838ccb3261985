import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { hostAllowed, refusedAddress, type AllowList } from '../domain/address-policy.js';

/**
 * R12 at the edge: where a webhook may go, and the POST itself. A target is checked when it is
 * subscribed and again at every delivery, on the addresses the connection really uses (the
 * lookup is the connection's own, so a DNS answer cannot change between check and connect).
 * Redirects are never followed: a 3xx is a failed attempt.
 */
export class TargetRefused extends Error {}

/** Why the URL cannot be a webhook target, or null. Resolves the host name. */
export async function refusedTarget(url: string, allow: AllowList): Promise<string | null> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'only http and https URLs can receive webhooks';
  if (u.username || u.password) return 'a webhook URL may not carry credentials';
  if (u.hash) return 'a webhook URL may not have a fragment';
  const host = bare(u.hostname);
  if (hostAllowed(host, allow)) return null;
  if (isIP(host)) return reasonFor(host, refusedAddress(host, allow));
  try {
    const addresses = await new Promise<LookupAddress[]>((resolve, reject) => dnsLookup(host, { all: true }, (err, a) => (err ? reject(err) : resolve(a))));
    for (const a of addresses) {
      const reason = refusedAddress(a.address, allow);
      if (reason) return reasonFor(`${host} (${a.address})`, reason);
    }
    return addresses.length === 0 ? `${host} does not resolve` : null;
  } catch {
    return `${host} does not resolve`;
  }
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '').toLowerCase();
const reasonFor = (what: string, reason: string | null) => (reason ? `${what} is ${reason}` : null);

/** A lookup for the connection that refuses forbidden addresses (every address the name has must be allowed). */
function guardedLookup(allow: AllowList): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as LookupAddress[];
      const bad = hostAllowed(bare(hostname), allow) ? undefined : list.find((a) => refusedAddress(a.address, allow) !== null);
      if (bad || list.length === 0) return callback(new TargetRefused(`${hostname} resolves to ${bad?.address ?? 'nothing'}, which webhooks may not reach`), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 64 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }) };

export interface PostResult {
  readonly status: number | null;
  readonly error: string | null;
  readonly durationMs: number;
}

/** POSTs `body` to `url`; never throws: a refused target, a timeout or a dropped connection is an error result. */
export async function postWebhook(url: string, body: string, headers: Record<string, string>, opts: { allow: AllowList; timeoutMs: number }): Promise<PostResult> {
  const started = Date.now();
  const done = (status: number | null, error: string | null): PostResult => ({ status, error, durationMs: Date.now() - started });
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return done(null, 'not a URL');
  }
  const host = bare(u.hostname);
  // An address in the URL is never looked up: check it here.
  if (isIP(host) && !hostAllowed(host, opts.allow)) {
    const reason = refusedAddress(host, opts.allow);
    if (reason) return done(null, `${host} is ${reason}`);
  }
  const https = u.protocol === 'https:';
  return new Promise<PostResult>((resolve) => {
    const req = (https ? httpsRequest : httpRequest)(
      u,
      {
        method: 'POST',
        agent: https ? agents.https : agents.http,
        lookup: guardedLookup(opts.allow),
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Stockbridge-Webhooks/1', ...headers },
        timeout: opts.timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? null;
          resolve(done(status, status !== null && status >= 300 && status < 400 ? `redirect to ${res.headers.location ?? '?'} not followed` : null));
        });
        res.on('error', (err) => resolve(done(res.statusCode ?? null, err.message)));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', (err) => resolve(done(null, err.message)));
    req.end(body);
  });
}
