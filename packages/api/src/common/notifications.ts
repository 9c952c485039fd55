/**
 * PostgreSQL LISTEN/NOTIFY as the fan-out between API processes: each process holds ONE dedicated
 * connection that listens on a channel (never a pool connection per subscriber) and hands every
 * notification to the subscribers of this process. A write anywhere (any process, the command
 * line) notifies in its own transaction, so subscribers hear only what was committed. The
 * connection is reopened after an error with a capped backoff; nothing is kept but the set of
 * live subscribers.
 *
 * Under PgBouncer in transaction mode LISTEN does not work: give AIRLEDGER_LISTEN_URL a direct
 * address of the primary (docs/scaling.md).
 */
import pg from 'pg';

export type NotificationHandler = (payload: string) => void;

export class NotificationChannel {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly handlers = new Set<NotificationHandler>();
  private closed = false;
  private retryMs = 250;

  constructor(
    private readonly url: string,
    readonly channel: string,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Not a channel name: ${channel}`);
  }

  /** Adds a handler (connecting on the first); returns the function that removes it. */
  async subscribe(handler: NotificationHandler): Promise<() => void> {
    this.handlers.add(handler);
    await this.ensureConnected();
    return () => {
      this.handlers.delete(handler);
    };
  }

  get subscribers(): number {
    return this.handlers.size;
  }

  private ensureConnected(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    return (this.connecting ??= this.connect().finally(() => (this.connecting = null)));
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'airledger-listen' });
    client.on('notification', (message) => {
      if (message.channel !== this.channel) return;
      for (const handler of [...this.handlers]) handler(message.payload ?? '');
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    await client.connect();
    await client.query(`listen ${this.channel}`);
    this.client = client;
    this.retryMs = 250;
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    if (error) this.onError(error);
    if (this.closed) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
    setTimeout(() => {
      if (!this.closed && this.handlers.size) void this.ensureConnected().catch((e) => this.lost(client, e));
    }, wait).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}

/**
 * An async iterator over the items `push` delivers, bounded: a subscriber that does not keep up
 * loses the oldest items beyond `limit` rather than growing without end.
 */
export function boundedQueue<T>(limit: number, onReturn: () => void): { push(item: T): void; iterator: AsyncIterableIterator<T> } {
  const items: T[] = [];
  let wake: ((r: IteratorResult<T>) => void) | null = null;
  let done = false;
  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (items.length) return Promise.resolve({ value: items.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined as never, done: true });
      return new Promise((resolve) => (wake = resolve));
    },
    return() {
      done = true;
      onReturn();
      wake?.({ value: undefined as never, done: true });
      wake = null;
      return Promise.resolve({ value: undefined as never, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return {
    push(item) {
      if (done) return;
      if (wake) {
        const w = wake;
        wake = null;
        w({ value: item, done: false });
      } else {
        items.push(item);
        if (items.length > limit) items.shift();
      }
    },
    iterator,
  };
}
