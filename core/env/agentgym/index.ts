export { createAgentGymEnvironment } from './agentgym-environment.ts';
export type { AgentGymEnvironment, AgentGymOptions } from './agentgym-environment.ts';
export { AgentGymSession } from './agentgym-session.ts';
export { AgentGymGoalSchema, agentGymSessionId } from './agentgym-task.ts';
export { requestJson } from './http.ts';
export type { JsonRequest, RetryOptions } from './http.ts';
export * from './profiles/index.ts';
export { agentGymDataKey, parseAgentGymSpec, withAgentGymSettings } from './spec.ts';
export type { AgentGymSpec, AgentGymSpecSettings } from './spec.ts';
