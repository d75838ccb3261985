/**
 * A webhook receiver for the R12 crash and multi-worker tests: a `node:http` server on 127.0.0.1
 * that records every request it gets (event id and attempt number from the headers as soon as
 * they arrive, the body once it is complete) and answers 204, after a delay the test chooses.
 */
import { createServer, type Server } from 'node:http';

export interface ReceivedRequest {
  readonly eventId: string;
  readonly attempt: number;
  readonly at: number;
  /** The full body, once it arrived; null while it is incomplete (or for ever, if the sender died). */
  body: string | null;
  /** The 204 was written before the connection closed (a killed sender closes it first). */
  answered: boolean;
}

export interface Receiver {
  readonly url: string;
  /** In arrival order of the headers. */
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startReceiver(opts: { delayMs?: () => number } = {}): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const got: ReceivedRequest = {
      eventId: String(req.headers['stockbridge-event-id'] ?? ''),
      attempt: Number(req.headers['stockbridge-delivery-attempt'] ?? Number.NaN),
      at: Date.now(),
      body: null,
      answered: false,
    };
    requests.push(got);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.body = Buffer.concat(chunks).toString('utf8');
      const delay = opts.delayMs?.() ?? 0;
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(204).end(() => (got.answered = true));
      };
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
    req.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks/stockbridge`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A receiver that is mostly quick and now and then slow, so kills often land mid-request. */
export function sometimesSlow(random: () => number): () => number {
  return () => {
    const r = random();
    if (r < 0.02) return 250 + Math.floor(random() * 250);
    if (r < 0.15) return 20 + Math.floor(random() * 60);
    return Math.floor(random() * 5);
  };
}
