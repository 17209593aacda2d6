import { InvalidInputError } from '../../errors.ts';
import type { EnvironmentFactory, EnvironmentSession, Task, TaskRange } from '../environment.ts';
import { AgentGymSession } from './agentgym-session.ts';
import type { RetryOptions } from './http.ts';
import { requestJson } from './http.ts';
import { readCreated } from './protocol.ts';

export interface AgentGymOptions {
  /** Base URL of the server, e.g. `http://localhost:36001`. */
  readonly baseUrl: string;
  readonly retry?: RetryOptions;
  /** Steps before an episode ends unfinished; 30 by default. */
  readonly maxSteps?: number;
  /** Name of the environment-id field in bodies and queries: `env_idx` (WebShop, the default) or `id` (ALFWorld). */
  readonly idField?: string;
  /**
   * Treat actions outside `GET /available_actions` as invalid without sending them (true by default; servers
   * without that endpoint accept every action).
   */
  readonly validateActions?: boolean;
  readonly fetch?: typeof fetch;
}

export interface AgentGymEnvironment extends EnvironmentFactory {
  readonly label: 'agentgym';
}

/**
 * An environment served over the AgentGym HTTP protocol (`/create`, `/reset`, `/step`, `/observation`,
 * `/available_actions`), so real WebShop, ALFWorld or SciWorld servers plug in.
 *
 * @example
 * const webshop = createAgentGymEnvironment({ baseUrl: 'http://localhost:36001', retry: { retries: 5 } });
 * const [task] = await webshop.tasks({ offset: 12, count: 1 });   // server session 12
 * const session = await webshop.open();
 * const first = await session.reset(task);
 */
export function createAgentGymEnvironment(options: AgentGymOptions): AgentGymEnvironment {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const settings = {
    baseUrl,
    retry: options.retry ?? {},
    maxSteps: Math.max(1, Math.floor(options.maxSteps ?? 30)),
    idField: options.idField ?? 'env_idx',
    validateActions: options.validateActions ?? true,
    fetch: options.fetch ?? fetch,
    missingEndpoints: new Set<string>(),
  };
  return {
    spec: baseUrl,
    label: 'agentgym',
    async open(): Promise<EnvironmentSession> {
      const url = `${baseUrl}/create`;
      const id = readCreated(await requestJson({ method: 'POST', url, body: {} }, settings.retry, settings.fetch), url);
      return new AgentGymSession(settings, id);
    },
    async tasks(range: TaskRange): Promise<Task[]> {
      const offset = range.offset ?? 0;
      return Array.from({ length: range.count }, (_, i) => ({
        id: String(offset + i),
        instruction: '',
        goal: { sessionId: offset + i },
      }));
    },
  };
}

function normalizeBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidInputError(`AgentGym base URL "${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidInputError(`AgentGym base URL "${text}" must be http or https`);
  }
  return url.href.replace(/\/+$/, '');
}
