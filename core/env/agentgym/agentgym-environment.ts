import type { EnvironmentFactory, EnvironmentSession, Task, TaskRange } from '../environment.ts';
import { AgentGymSession } from './agentgym-session.ts';
import type { RetryOptions } from './http.ts';
import { requestJson } from './http.ts';
import type { AgentGymProfile } from './profiles/index.ts';
import { answerError, readCreated } from './protocol.ts';
import { parseAgentGymSpec } from './spec.ts';
import { UnavailableError } from '../../errors.ts';

export interface AgentGymOptions {
  /**
   * The env spec: the server's base URL, e.g. `http://localhost:36001`, optionally with settings after `#`
   * (`#profile=alfworld&id-field=id`; see `parseAgentGymSpec`).
   */
  readonly baseUrl: string;
  readonly retry?: RetryOptions;
  /** Steps before an episode ends unfinished; 30 by default. */
  readonly maxSteps?: number;
  readonly fetch?: typeof fetch;
}

export interface AgentGymEnvironment extends EnvironmentFactory {
  readonly label: 'agentgym';
  readonly profile: AgentGymProfile;
}

/**
 * An environment served over the AgentGym HTTP protocol (`/create`, `/reset`, `/step`, `/observation`,
 * `/available_actions`, `/instruction_text`, `/close`), so real WebShop, ALFWorld, SciWorld or BabyAI servers plug
 * in; the spec's profile says how the server reads and answers.
 *
 * @example
 * const webshop = createAgentGymEnvironment({ baseUrl: 'http://localhost:36001', retry: { retries: 5 } });
 * const [task] = await webshop.tasks({ offset: 12, count: 1 });   // server session 12
 * const session = await webshop.open();
 * const first = await session.reset(task);
 */
export function createAgentGymEnvironment(options: AgentGymOptions): AgentGymEnvironment {
  const spec = parseAgentGymSpec(options.baseUrl);
  const settings = {
    baseUrl: spec.baseUrl,
    retry: options.retry ?? {},
    maxSteps: Math.max(1, Math.floor(options.maxSteps ?? 30)),
    profile: spec.profile,
    filterInvalid: spec.filterInvalid,
    fetch: options.fetch ?? fetch,
    missingEndpoints: new Set<string>(),
  };
  return {
    spec: spec.canonical,
    label: 'agentgym',
    profile: spec.profile,
    async open(): Promise<EnvironmentSession> {
      const url = `${spec.baseUrl}/create`;
      const body = await requestJson({ method: 'POST', url, body: {} }, settings.retry, settings.fetch);
      const error = answerError(body);
      if (error !== undefined) throw new UnavailableError(`environment server ${url} could not create an environment: ${error}`);
      return new AgentGymSession(settings, readCreated(body, url));
    },
    async tasks(range: TaskRange): Promise<Task[]> {
      const offset = range.offset ?? 0;
      const stride = range.stride ?? 1;
      return Array.from({ length: range.count }, (_, i) => ({
        id: String(offset + i * stride),
        instruction: '',
        goal: { sessionId: offset + i * stride },
      }));
    },
  };
}
