export * from './agentgym/index.ts';
export { INVALID_ACTION_TEXT, TaskSchema } from './environment.ts';
export type {
  EnvironmentFactory, EnvironmentSession, EnvironmentSnapshot, Observation, StepResult, Task, TaskRange,
} from './environment.ts';
export { ReplayDivergenceError } from './errors.ts';
export { createNoisyPolicy } from './noisy-policy.ts';
export type { NoisyPolicyOptions } from './noisy-policy.ts';
export { openEnvironment } from './open-environment.ts';
export type { OpenEnvironmentOptions } from './open-environment.ts';
export { PolicyKind } from './policy.ts';
export type { ActionContext, ScriptedPolicy } from './policy.ts';
export * from './shop/index.ts';
export { createUniformPolicy } from './uniform-policy.ts';
export type { UniformPolicyOptions } from './uniform-policy.ts';
