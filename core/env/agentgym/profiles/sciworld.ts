import { UnavailableError } from '../../../errors.ts';
import type { AgentGymProfile } from './profile.ts';
import { SCIWORLD_RANGES } from './sciworld-layout.ts';

/** More candidates than this are not offered (two-object templates grow with the square of the objects in view). */
const MAX_HINTED_ACTIONS = 500;

/**
 * The actions `/action_hint` suggests: ScienceWorld's templates (`open OBJ`, `go to LOC`, `move OBJ to OBJ`, …)
 * filled with the objects it lists, templates without slots first, then one slot, then two (distinct objects),
 * at most 500. They are suggestions: ScienceWorld parses any text, and answers what it cannot do in prose.
 */
export function readSciWorldHint(body: unknown, url: string): string[] {
  const record = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const strings = (value: unknown) => (Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined);
  const templates = strings(record.possible_actions);
  const objects = strings(record.possible_objects);
  if (!templates || !objects) {
    const seen = typeof record.error === 'string' ? record.error : JSON.stringify(body)?.slice(0, 200);
    throw new UnavailableError(`environment server ${url} answered ${seen}, expected { possible_actions, possible_objects }`);
  }
  const names = [...new Set(objects.map((o) => o.trim()).filter((o) => o !== ''))];
  const slots = (t: string) => t.match(/\b(?:OBJ|LOC)\b/g)?.length ?? 0;
  const fill = (t: string, values: string[]) => { let i = 0; return t.replace(/\b(?:OBJ|LOC)\b/g, () => values[i++]); };
  const out = new Set<string>();
  for (const count of [0, 1, 2]) {
    for (const template of templates.filter((t) => slots(t) === count)) {
      if (count === 0) out.add(template.trim());
      if (count === 1) for (const a of names) out.add(fill(template, [a]));
      if (count === 2) for (const a of names) for (const b of names) if (a !== b) out.add(fill(template, [a, b]));
    }
  }
  return [...out].slice(0, MAX_HINTED_ACTIONS);
}

/**
 * AgentGym's SciWorld server (`agentenv-sciworld`): `id`, `/reset` with `data_idx` answering `{ task_name, var_num,
 * task_description, observation, score, … }` (the first state is the task description, a newline, then the
 * observation, as AgentGym's client reads it), the step answer's `score` (ScienceWorld's 0–100 progress; the
 * reward is score / 100, so 1 when the task is done), failures as `{ error }` with status 200, no
 * `/available_actions` but `/action_hint` with ScienceWorld's action templates and the objects in view.
 * `data_idx` indexes every variation of ScienceWorld's tasks except 5-1, 5-2, 9-1…9-3, 10-1 and 10-2, task type by
 * task type (sciworld-layout.ts), so a contiguous range holds few task types: the default ranges interleave the task
 * types instead, each drawing every one of the 23.
 */
export const sciworldProfile: AgentGymProfile = {
  name: 'sciworld',
  idField: 'id',
  resetBody: { data_idx: '{session}' },
  actions: 'endpoint',
  actionsEndpoint: '/action_hint',
  readActions: readSciWorldHint,
  templates: [],
  rewardField: 'score',
  toReward: (score) => Math.min(100, Math.max(0, score)) / 100,
  instructionFrom: (observation) => /(?:^|\n)\s*(?:task description:)?\s*(your task is to[^\n]+)/i.exec(observation)?.[1]?.trim(),
  ranges: SCIWORLD_RANGES,
};
