/**
 * What an environment kind knows about its own text interface, for the parts of Reverie that never touch the real
 * environment: the built-in policy's features, what the built-in experience model may learn of its states, how the
 * curriculum varies its tasks, how synthetic sessions read predicted states, and when two states are the same. An
 * environment folder (`shop/`, each AgentGym profile, or a plug-in's own folder) returns one; DreamGym and early
 * experience depend on this interface only.
 *
 * Every hook works from text and recorded transitions alone, never from the environment's hidden data.
 */
import type { Rng } from '../random.ts';
import type { EnvironmentFactory, Task } from './environment.ts';
import type { EnvironmentRules } from './experience-rules.ts';
import type { ScriptedPolicy } from './policy.ts';

/** A recorded transition as a kind's learners read it (the replay buffer's rows are these). */
export interface KnownTransition {
  readonly state: string;
  readonly action: string;
  readonly nextState: string;
  readonly reward: number;
  readonly done: boolean;
  readonly valid: boolean;
  readonly instruction: string;
  /** The task the transition's episode played, where recorded. */
  readonly taskId?: string;
  /** The task's goal data where the environment has it (offline data only; curricula read its vocabulary). */
  readonly goal?: unknown;
  /** offline: real offline data; branch: early-experience branches (real); rollout: synthetic. */
  readonly source: 'offline' | 'rollout' | 'branch';
  readonly admissibleActions?: readonly string[];
}

/** Named feature values of one (instruction, state, action); absent names are 0. */
export type Features = ReadonlyArray<readonly [string, number]>;

/** The built-in policy's φ(instruction, state, action) for one kind. */
export interface PolicyFeatures {
  /** Names the feature set, so stored parameters are only read by the features they were trained with. */
  readonly featureSet: string;
  /** One row per offered action; `earlier` are the episode's actions so far, oldest first (null: none parsed). */
  actionFeatures(instruction: string, state: string, actions: readonly string[], earlier: readonly (string | null)[]): Features[];
}

/** One predicted step; `reward` undefined when the kind cannot value it (the model then uses the neighbours'). */
export interface ComposedStep {
  readonly nextState: string;
  readonly reward: number | undefined;
  readonly done: boolean;
  readonly valid: boolean;
  readonly reasoning: string;
}

export interface ComposeInput {
  readonly task: Task;
  readonly history: readonly { readonly state: string; readonly action: string }[];
  readonly state: string;
  readonly action: string;
  /** A learned transition with this very state and action, when retrieval found one. */
  readonly exact: KnownTransition | undefined;
}

/**
 * What the built-in experience model may know of a kind's interface: it learns from recorded transitions and
 * composes next states in the kind's format. `compose` answers undefined for a state not in that format (the model
 * then reuses the nearest neighbour's outcome) and throws for an action it cannot interpret (answered invalid).
 */
export interface StepComposer {
  learn(transition: KnownTransition): void;
  compose(input: ComposeInput): ComposedStep | undefined;
  /** The first state of a task no recorded episode began (a curriculum variation); absent: the most common one. */
  initialState?(task: Task): string | undefined;
}

/** A curriculum variation with how hard it looks, once judged feasible and well defined. */
export interface CheckedVariation {
  readonly task: Task;
  /** Larger is harder; only comparable within one generator. */
  readonly difficulty: number;
}

/** DreamGym's task generator in its two prompts: `propose` varies a seed task, `select` keeps the feasible hardest. */
export interface TaskGenerator {
  readonly name: string;
  /** Answers dropped because they kept failing their schema (LLM generators). */
  readonly schemaFailures?: number;
  propose(seed: Task, count: number, rng: Rng): Promise<Task[]>;
  select(seed: Task, candidates: readonly Task[], keep: number): Promise<CheckedVariation[]>;
}

/** What a kind's curriculum knows from recorded transitions only (never the real environment). */
export interface CurriculumKnowledge {
  /** The built-in generator, when the kind has one. */
  readonly generator?: TaskGenerator;
  /** Makes an LLM proposal a runnable task judged feasible, or undefined to drop it. */
  check?(proposal: { instruction: string; goal?: unknown }): Task | undefined;
}

export type StateReading =
  | { readonly readable: true; readonly admissibleActions: string[] | undefined; readonly terminal: boolean }
  | { readonly readable: false };

/** Reads a predicted state the way the real environment would present it (offered actions, whether it ends). */
export interface StateReader {
  read(state: string, task: Task): StateReading;
}

/** How synthetic sessions treat predicted states of a kind. */
export interface SyntheticStates {
  readonly reader: StateReader;
  /** Whether a predicted invalid action ends the episode (the environment decides invalid actions locally). */
  readonly invalidEnds: boolean;
  /** Reads the instruction from a first state, for tasks listed before the environment told it. */
  readonly instructionFrom?: (state: string) => string | undefined;
}

/** The verdict on one predicted state against the real one. */
export interface StateComparison {
  readonly agree: boolean;
  readonly differences: readonly string[];
}

/** A definition of "the same abstract state" for one kind's text format. */
export interface StateAgreement {
  readonly name: string;
  compare(predicted: string, real: string): StateComparison;
  /** A short label of a state (its page), for per-kind breakdowns. */
  label(state: string): string;
}

export interface EnvironmentKind {
  /** `shop`, an AgentGym profile name, or a plug-in's name. */
  readonly name: string;
  /**
   * The first part of ids derived from this environment (offline datasets, replay buffers), so two environments
   * never share data: `shop`, or an AgentGym profile's name and a hash of the server's spec. Absent: `name`.
   */
  readonly dataKey?: string;
  /** The environment's rules as prompts state them (LLM policy, LLM task generator). */
  readonly rules: string;
  /**
   * What an LLM experience model is told of the environment (state format, actions, reward), with its fixed first
   * state and a state check where the kind has them. Absent: the generic rules (the format is learned from context).
   */
  readonly experienceRules?: EnvironmentRules;
  /**
   * A scripted expert for offline data and early experience's demonstrations; like `feasible` it is given the real
   * environment and may read its hidden data (the shop's catalog). Absent: offline data is random, and expert data
   * is imported (`reverie dreamgym import`).
   */
  expert?(real: EnvironmentFactory): ScriptedPolicy;
  /**
   * The most steps one episode of this kind can take, given the step limit a run configures (`shop.maxSteps`, which
   * the environment is opened with): the worst case of a rollout's real accesses (S2R's per-group budget). Absent:
   * the rollout's own turn limit (100), since the environment's own limit is not known.
   */
  maxSteps?(configured: number): number;
  /**
   * Whether two task indexes can hold the same task (the shop draws its goals from the catalog, so a held-out index
   * can ask what an offline one asks): evaluation then leaves out tasks equal to those of the default offline data,
   * not only to the training tasks. Absent: the tasks of disjoint ranges differ (AgentGym session ids).
   */
  readonly repeatsTasks?: boolean;
  readonly policyFeatures: PolicyFeatures;
  /** A fresh learner for the built-in experience model; absent: it reuses nearest neighbours' outcomes. */
  experienceKnowledge?(): StepComposer;
  /**
   * Curriculum knowledge learned from recorded transitions; `excluded` tasks (held-out, training) are never made.
   * Its variations are played in real iterations too only where `realVariations` (they exist in the environment).
   */
  curriculum?(known: readonly KnownTransition[], excluded: (task: Task) => boolean): CurriculumKnowledge;
  readonly realVariations?: boolean;
  /**
   * Whether a curriculum variation can be done in the real environment: the one hook given the real environment,
   * called only by the evaluation step through its counting boundary. Absent: variations are counted, not checked.
   */
  feasible?(real: EnvironmentFactory, task: Task): boolean | Promise<boolean>;
  syntheticStates(known: readonly KnownTransition[]): SyntheticStates;
  /** Absent: plain text agreement. */
  readonly stateAgreement?: StateAgreement;
  /** The key that tells two tasks apart (held-out de-duplication); instruction text by default. */
  taskKey?(task: Task): string | undefined;
}
