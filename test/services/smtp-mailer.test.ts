import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { AfterEndOfData, smtpMailer, type OutgoingMail } from '../../src/services/customer-messages.service.js';

/**
 * R11's SMTP sender against a real SMTP server in this process (smtp-server): a burst of mails
 * goes over one kept connection, a kept connection the server dropped is replaced without losing
 * the mail, the hand-over is recorded before the end of data, and an idle connection is closed.
 */
interface Server {
  readonly url: string;
  readonly sessions: number[];
  readonly received: string[];
  /** Cuts every open session, as a server does with idle clients. */
  dropAll(): void;
  close(): Promise<void>;
}

async function startServer(opts: { reject?: boolean } = {}): Promise<Server> {
  const sessions: number[] = [];
  const received: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onConnect(session, callback) {
      sessions.push(sessions.length + 1);
      callback();
    },
    onData(stream, _session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => (raw += c));
      stream.on('end', () => {
        if (opts.reject) return callback(new Error('mailbox unavailable'));
        received.push(/^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? 'none');
        callback();
      });
    },
  });
  server.on('error', () => {});
  server.server.on('connection', (s: import('node:net').Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    sessions,
    received,
    dropAll: () => {
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const mail = (n: number): OutgoingMail => ({
  from: '"Shop" <shop@example.nl>',
  replyTo: null,
  to: `c${n}@example.nl`,
  subject: `Order ${n}`,
  text: 'Your order is on its way.',
  html: '<p>Your order is on its way.</p>',
  messageId: `<m${n}@example.nl>`,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('R11 SMTP sender: one kept connection for a burst of mails', () => {
  let server: Server | undefined;
  let close: (() => void) | undefined;
  afterEach(async () => {
    close?.();
    await server?.close();
  });

  it('sends 20 mails over one SMTP session, recording each hand-over before the server answers', async () => {
    server = await startServer();
    const mailer = smtpMailer(server.url);
    close = mailer.close;
    const handedOver: number[] = [];
    for (let n = 1; n <= 20; n++) {
      await mailer.send(mail(n), async () => {
        // The server has not taken the mail yet when the hand-over is recorded.
        expect(server!.received).not.toContain(`<m${n}@example.nl>`);
        handedOver.push(n);
      });
    }
    expect(server.received).toEqual(Array.from({ length: 20 }, (_, i) => `<m${i + 1}@example.nl>`));
    expect(handedOver).toHaveLength(20);
    expect(server.sessions).toHaveLength(1);
  });

  it('a kept connection the server dropped is replaced: the next mail goes on a new session, once', async () => {
    server = await startServer();
    const mailer = smtpMailer(server.url);
    close = mailer.close;
    await mailer.send(mail(1), async () => {});
    server.dropAll();
    await sleep(50);
    let commits = 0;
    await mailer.send(mail(2), async () => void commits++);
    expect(server.received).toEqual(['<m1@example.nl>', '<m2@example.nl>']);
    expect(commits).toBe(1);
    expect(server.sessions).toHaveLength(2);
  });

  it('after idleMs without a mail the connection is closed, and the next mail opens another', async () => {
    server = await startServer();
    const mailer = smtpMailer(server.url, { idleMs: 100 });
    close = mailer.close;
    await mailer.send(mail(1), async () => {});
    await sleep(300);
    await mailer.send(mail(2), async () => {});
    expect(server.sessions).toHaveLength(2);
    expect(server.received).toHaveLength(2);
  });

  it('a refusal after the end of data is AfterEndOfData only if the server never answered; a 5xx answer is an ordinary failure', async () => {
    server = await startServer({ reject: true });
    const mailer = smtpMailer(server.url);
    close = mailer.close;
    const error = await mailer.send(mail(1), async () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(AfterEndOfData);
    expect(server.received).toEqual([]);
  });
});
