/**
 * A counting semaphore: at most `limit` holders at once, the rest wait in arrival order.
 *
 * @example
 * const gate = new Semaphore(4);
 * const result = await gate.run(() => fetch(url));
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  limit: number;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`semaphore limit must be a positive integer, got ${limit}`);
    this.limit = limit;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  get inFlight(): number {
    return this.active;
  }

  private acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => {
      this.active++;
      resolve();
    }));
  }

  private release(): void {
    this.active--;
    const next = this.waiting.shift();
    if (next) next();
  }
}

const endpointGates = new Map<string, Semaphore>();

/**
 * The shared gate of one endpoint. Roles that point at the same server share it, with the smallest configured limit,
 * so two clients cannot together exceed what the server was sized for.
 */
export function endpointGate(baseUrl: string, limit: number): Semaphore {
  const existing = endpointGates.get(baseUrl);
  if (existing) {
    existing.limit = Math.min(existing.limit, limit);
    return existing;
  }
  const gate = new Semaphore(limit);
  endpointGates.set(baseUrl, gate);
  return gate;
}
