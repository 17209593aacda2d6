export { GroupFailedError } from './errors.ts';
export { runGroup } from './group.ts';
export type { GroupOptions, RolloutFailure, TrajectoryGroup } from './group.ts';
export { parseTrajectoryLines, readCommittedTrajectories, readGroupSummary, TRAJECTORIES_FILE, writeGroup } from './group-store.ts';
export type { StoredGroup } from './group-store.ts';
export { realSession, realSessions } from './real-session.ts';
export { createRollout, runRollout } from './rollout.ts';
export type { Rollout, RolloutOptions } from './rollout.ts';
export type { RolloutObservation, RolloutSession, RolloutSessionFactory, RolloutStepResult } from './rollout-session.ts';
export { freeTextStateReader } from './state-reader.ts';
export type { StateReader, StateReading } from './state-reader.ts';
export { syntheticSession, syntheticSessions } from './synthetic-session.ts';
export type { SyntheticSessionOptions } from './synthetic-session.ts';
export {
  ContextMessageSchema, RolloutSource, TrainableMessageSchema, trainableTurns, TrajectoryMessageSchema, TrajectorySchema,
} from './trajectory.ts';
export type { ContextMessage, TrainableMessage, Trajectory, TrajectoryMessage } from './trajectory.ts';
