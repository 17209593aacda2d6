import { INVALID_ACTION_TEXT } from '../../../env/environment.ts';
import type { EnvironmentRules } from '../../../env/experience-rules.ts';

const TEXT = `Environment: a text-based interactive environment (for example a web site or a household simulator).

States are abstract text descriptions of what the agent can see and act on: only the relevant elements, not raw page markup. Keep exactly the format of the states shown in the interaction so far and in the similar transitions: the same fields, in the same order, with the same spelling.

Actions are text commands. An action the environment cannot parse, or that is not possible in the current state, is invalid: the next state is the failure state
${INVALID_ACTION_TEXT}
with reward 0, done true and valid false.

Rewards are outcome-based: 1 at the step where the task is accomplished, otherwise 0 (a value between 0 and 1 only where the environment gives partial credit for a finished but imperfect attempt). done is true when the task is accomplished, has failed, or cannot continue.`;

/** Rules for environments Reverie has no specific text for (AgentGym servers): the state format is learned from context. */
export const GENERIC_RULES: EnvironmentRules = { name: 'generic', text: TEXT };
