/**
 * An SMTP server in this process for the R11 crash tests (smtp-server): it counts each message it
 * accepts by its Message-ID header, answering after a delay the test chooses so that a SIGKILL
 * often lands while a worker's SMTP transaction is open. A message counts when the server takes
 * it (its 250 follows the count): that is "received" for the exactly-once checks.
 * With `hangUp`, it takes the whole message and closes the connection without a word: the case
 * where nobody knows whether the mail went out (R11, `unknown`).
 */
import { SMTPServer } from 'smtp-server';

export interface SmtpReceiver {
  readonly url: string;
  /** Message-ID → how many times the server accepted a message carrying it. */
  readonly received: Map<string, number>;
  total(): number;
  close(): Promise<void>;
}

export async function startSmtpReceiver(opts: { delayMs?: () => number; hangUp?: boolean } = {}): Promise<SmtpReceiver> {
  const received = new Map<string, number>();
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => (raw += c));
      stream.on('end', () => {
        if (opts.hangUp) {
          for (const c of (server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections) if (c.id === session.id) c._socket.destroy();
          return;
        }
        const id = /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? 'none';
        setTimeout(() => {
          received.set(id, (received.get(id) ?? 0) + 1);
          callback();
        }, opts.delayMs?.() ?? 0);
      });
    },
  });
  // Killed workers reset their connections: the server reports each as an error event.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    total: () => [...received.values()].reduce((a, n) => a + n, 0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
