import type { EnvironmentKind, PolicyFeatures, StateAgreement } from '../../environment-kind.ts';
import type { SessionRanges } from '../../session-range.ts';

export type { SessionRange, SessionRanges } from '../../session-range.ts';

/** Where a server tells the actions that are valid now. */
export const ActionSource = {
  /** `GET /available_actions` (WebShop: `{ has_search_bar, clickables }`; others a list). */
  endpoint: 'endpoint',
  /** The `available_actions` field of each `/reset` and `/step` answer (ALFWorld). */
  answers: 'answers',
  /** The observation text itself, read by the profile's `actionsIn` (BabyAI: `Available actions: [...]`). */
  observation: 'observation',
  /** Nowhere: every action is sent, and only the server can tell. */
  none: 'none',
} as const;
export type ActionSource = (typeof ActionSource)[keyof typeof ActionSource];

/**
 * What one kind of AgentGym server expects and answers: the name of its environment-id field, the body of
 * `/reset`, where admissible actions come from, which free-text action templates it accepts, the answer field that
 * holds the reward, how its first observation states the instruction, and the session ids that exist on it.
 */
export interface AgentGymProfile {
  readonly name: string;
  readonly idField: string;
  /** The `/reset` body besides the id field; `{session}` (as a whole string value) stands for the session id. */
  readonly resetBody: Readonly<Record<string, unknown>>;
  readonly actions: ActionSource;
  /**
   * Free-text actions with one `<slot>`, e.g. `search[<query>]`, offered while the server says so (WebShop: while
   * the page has a search bar). Policies fill the slot; the result is an admissible action.
   */
  readonly templates: readonly string[];
  /** With `endpoint`: the path asked for the actions (`/available_actions` by default; SciWorld: `/action_hint`). */
  readonly actionsEndpoint?: string;
  /** With `endpoint`: reads that path's answer into actions, when it is not `/available_actions`' shape. */
  readActions?(body: unknown, url: string): string[];
  /** With `observation`: the actions an observation lists, undefined when it lists none. */
  actionsIn?(observation: string): string[] | undefined;
  /** The step answer's field holding the reward (`score` on SciWorld and BabyAI). */
  readonly rewardField: string;
  /**
   * Reverie's reward (1 = the task is done) from that field's value and the answer's `done`; the value as it is when
   * absent. The server's own value is kept in the step's info under the field's name.
   */
  toReward?(value: number, done: boolean): number;
  /** The instruction as the first observation states it, when the server has no `/instruction_text`. */
  instructionFrom(observation: string): string | undefined;
  /**
   * What a state text offers, read from the text alone, for states no server answered (an experience model's
   * predictions): undefined when the text does not tell.
   */
  readOffer?(state: string): StateOffer | undefined;
  readonly ranges: SessionRanges;
  /** The built-in policy's features for this server's text; generic text features where absent. */
  readonly features?: PolicyFeatures;
  /** Curriculum variation of this server's tasks from recorded transitions; none where absent. */
  readonly curriculum?: EnvironmentKind['curriculum'];
  /** What the built-in experience model may know of this server's pages (its first page, say). */
  readonly experienceKnowledge?: EnvironmentKind['experienceKnowledge'];
  /** When two of this server's states are the same for consistency; plain text agreement where absent. */
  readonly stateAgreement?: StateAgreement;
}

/** The actions and templates a state offers, and whether it ends the episode. */
export interface StateOffer {
  readonly actions: readonly string[];
  readonly templates: readonly string[];
  readonly terminal: boolean;
}

/** Fills `{session}` in a reset body. */
export function resetBody(template: Readonly<Record<string, unknown>>, sessionId: number): Record<string, unknown> {
  return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, value === '{session}' ? sessionId : value]));
}
