export interface RetryOptions {
  maxRetries: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Whether an error is worth another attempt; others are thrown at once. */
  isRetryable: (error: unknown) => boolean;
  /** A server-given delay (Retry-After), when it sent one. */
  retryAfterMs?: (error: unknown) => number | undefined;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `task`, retrying retryable failures with exponential backoff and full jitter, honouring a server's
 * Retry-After. Returns the result and how many attempts it took.
 *
 * @example
 * const { value, attempts } = await retryWithBackoff(() => client.call(), { maxRetries: 4, isRetryable: isTransient });
 */
export async function retryWithBackoff<T>(task: () => Promise<T>, options: RetryOptions): Promise<{ value: T; attempts: number }> {
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 8_000;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await task(), attempts: attempt };
    } catch (error) {
      if (attempt > options.maxRetries || !options.isRetryable(error)) throw error;
      const backoff = Math.random() * Math.min(cap, base * 2 ** (attempt - 1));
      const delay = Math.min(cap, options.retryAfterMs?.(error) ?? backoff);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}
