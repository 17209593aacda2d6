import { describeError, InvalidInputError, NotFoundError, ReverieError, UnavailableError } from '../../errors.ts';

export interface RetryOptions {
  /** Retries after the first try for 503 answers and connection failures; 5 by default. */
  readonly retries?: number;
  /** First backoff delay; doubled after each retry up to `maxDelayMs`. 200 ms by default. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Per-request timeout; a timeout counts as a connection failure. 30 s by default. */
  readonly timeoutMs?: number;
}

export interface JsonRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: unknown;
}

/**
 * Sends one JSON request and returns the parsed answer (raw text when it is not JSON). A 503 ("busy", in the
 * AgentGym protocol) or a failed connection is retried with exponential backoff; when the retries run out it throws
 * UnavailableError naming the URL. Other error statuses are not retried: 404 → NotFoundError, other 4xx →
 * InvalidInputError, 5xx → UnavailableError.
 *
 * @example
 * const id = await requestJson({ method: 'POST', url: 'http://localhost:36001/create' }, { retries: 3 });
 */
export async function requestJson(
  request: JsonRequest,
  options: RetryOptions = {},
  fetchImpl: typeof fetch = fetch,
): Promise<unknown> {
  const retries = options.retries ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let lastProblem: unknown;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
    try {
      const response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.body === undefined ? undefined : { 'content-type': 'application/json' },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      if (response.status === 503) {
        lastProblem = 'HTTP 503 (busy)';
        continue;
      }
      if (!response.ok) throw statusError(request, response.status, text);
      return parseBody(text);
    } catch (error) {
      if (error instanceof ReverieError) throw error;
      lastProblem = error;
    }
  }
  throw new UnavailableError(
    `environment server ${request.url} is unavailable after ${retries + 1} attempts: ${describeProblem(lastProblem)}`,
    { cause: lastProblem, details: { url: request.url, attempts: retries + 1 } },
  );
}

function statusError(request: JsonRequest, status: number, text: string): ReverieError {
  const answer = text.slice(0, 200);
  const message = `environment server answered ${request.method} ${request.url} with HTTP ${status}: ${answer}`;
  const options = { details: { url: request.url, status } };
  if (status === 404) return new NotFoundError(message, options);
  if (status < 500) return new InvalidInputError(message, options);
  return new UnavailableError(message, options);
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeProblem(problem: unknown): string {
  const cause = problem instanceof Error ? (problem.cause as { code?: string } | undefined) : undefined;
  return cause?.code ? `${describeError(problem)} (${cause.code})` : describeError(problem);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
