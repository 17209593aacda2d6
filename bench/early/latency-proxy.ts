import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LatencyProxy {
  readonly url: string;
  /** Requests forwarded so far. */
  readonly requests: () => number;
  close(): Promise<void>;
}

/**
 * An HTTP proxy that waits `latencyMs` before forwarding each request to `target`: a stand-in for an environment
 * server across a network (a real WebShop or ALFWorld server answers in milliseconds to tens of milliseconds), so
 * the benchmark shows what Map concurrency buys when the environment, not the CPU, is the bottleneck.
 *
 * @example
 * const proxy = await startLatencyProxy(fixture.url, 5);
 * createAgentGymEnvironment({ baseUrl: proxy.url });
 */
export async function startLatencyProxy(target: string, latencyMs: number): Promise<LatencyProxy> {
  let forwarded = 0;
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    await new Promise((resolve) => setTimeout(resolve, latencyMs));
    forwarded++;
    const answer = await fetch(`${target}${request.url}`, {
      method: request.method,
      headers: { 'content-type': 'application/json' },
      body: request.method === 'GET' ? undefined : body,
    });
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => forwarded,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
