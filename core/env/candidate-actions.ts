import { fillActionTemplates } from './action-templates.ts';
import type { EnvironmentSession } from './environment.ts';

/**
 * What a policy may choose from now: the session's admissible actions and its action templates filled with
 * queries proposed from the instruction (and the state).
 *
 * @example
 * const actions = await candidateActions(session, task.instruction, observation.text);
 * // ['click[search]'… or, on a WebShop search page, 'search[long clip-in hair extension natural]', …]
 */
export async function candidateActions(session: EnvironmentSession, instruction: string, state: string): Promise<string[]> {
  const admissible = await session.admissibleActions();
  const templates = (await session.actionTemplates?.()) ?? [];
  const filled = fillActionTemplates(templates, instruction, state).filter((a) => !admissible.includes(a));
  return [...admissible, ...filled];
}
