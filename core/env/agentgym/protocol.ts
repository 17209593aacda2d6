import { z } from 'zod';
import { InvalidInputError } from '../../errors.ts';

/**
 * Readers for AgentGym server answers. The servers of different environments answer in slightly different shapes
 * (WebShop's reset returns `[state, null]`, others a string or an object), so each reader accepts the known shapes
 * and names the endpoint when an answer fits none.
 */

/** `POST /create` → the new environment's id. */
export function readCreated(body: unknown, url: string): number {
  const id = z.number().int();
  const parsed = z.union([id, z.object({ id }), z.object({ env_idx: id })]).safeParse(body);
  if (!parsed.success) throw unexpected(url, 'an environment id', body);
  const value = parsed.data;
  return typeof value === 'number' ? value : 'id' in value ? value.id : value.env_idx;
}

/**
 * An answer that reports a failure in its body (ALFWorld answers `{ "error": "…" }` with status 200): the server's
 * message, so the caller can name it.
 */
export function answerError(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const error = (body as Record<string, unknown>).error;
  return typeof error === 'string' ? error : undefined;
}

/** The `available_actions` list an answer carries (ALFWorld's reset and step), if any. */
export function readAnswerActions(body: unknown): string[] | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const list = (body as Record<string, unknown>).available_actions;
  return Array.isArray(list) && list.every((a) => typeof a === 'string') ? list : undefined;
}

/** `POST /reset` → the first observation text, when the answer carries it (SciWorld's task description first). */
export function readResetState(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    if (typeof record.task_description === 'string' && typeof record.observation === 'string') {
      return `${record.task_description}\n${record.observation}`;
    }
  }
  if (Array.isArray(body) && typeof body[0] === 'string') return body[0];
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    for (const key of ['observation', 'state']) if (typeof record[key] === 'string') return record[key] as string;
  }
  return undefined;
}

const StepAnswerSchema = z.object({
  state: z.string().optional(),
  observation: z.string().optional(),
  reward: z.number().nullish(),
  score: z.number().nullish(),
  done: z.boolean(),
  info: z.unknown().optional(),
});

export interface StepAnswer {
  readonly state: string;
  readonly reward: number;
  readonly done: boolean;
  readonly info: Record<string, unknown>;
}

/** `POST /step` → state, reward (from `rewardField`), done (and info, when the server sends an object). */
export function readStep(body: unknown, url: string, rewardField = 'reward'): StepAnswer {
  const parsed = StepAnswerSchema.safeParse(body);
  const state = parsed.success ? (parsed.data.state ?? parsed.data.observation) : undefined;
  if (!parsed.success || state === undefined) throw unexpected(url, '{ state, reward, done }', body);
  const raw = parsed.data.info;
  const info = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const reward = rewardField === 'score' ? (parsed.data.score ?? parsed.data.reward) : parsed.data.reward;
  return { state, reward: reward ?? 0, done: parsed.data.done, info };
}

/** What `GET /available_actions` says: an explicit list, or WebShop's search bar + clickables. */
export interface AvailableActions {
  readonly actions: string[];
  /** Whether free-text `search[...]` is accepted now. */
  readonly searchBar: boolean;
}

export function readAvailableActions(body: unknown, url: string): AvailableActions {
  if (Array.isArray(body) && body.every((a) => typeof a === 'string')) return { actions: body, searchBar: false };
  const parsed = z.object({
    actions: z.array(z.string()).optional(),
    has_search_bar: z.boolean().optional(),
    clickables: z.array(z.string()).optional(),
  }).safeParse(body);
  if (!parsed.success || (!parsed.data.actions && !parsed.data.clickables)) {
    throw unexpected(url, 'a list of actions or { has_search_bar, clickables }', body);
  }
  const { actions, has_search_bar: searchBar = false, clickables = [] } = parsed.data;
  // WebShop lists its search button as the clickable `search`; the search itself is the `search[<query>]` template.
  return {
    actions: actions ?? clickables.filter((c) => c !== 'search').map((c) => `click[${c}]`),
    searchBar: searchBar || clickables.includes('search'),
  };
}

function unexpected(url: string, expected: string, body: unknown): InvalidInputError {
  const seen = JSON.stringify(body)?.slice(0, 200) ?? String(body);
  return new InvalidInputError(`environment server ${url} answered ${seen}, expected ${expected}`);
}
