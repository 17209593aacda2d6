export { generateOfflineTrajectories } from './generate.ts';
export type { OfflineGenerationOptions, OfflinePlan } from './generate.ts';
export { parseTrajectoryJsonl, toJsonl } from './parse-records.ts';
export type { MalformedRecord, ParsedRecords } from './parse-records.ts';
export { runEpisode } from './run-episode.ts';
export type { EpisodeOutcome } from './run-episode.ts';
export { TrajectoryRecordSchema, TransitionSchema } from './trajectory-record.ts';
export type { TrajectoryRecord, Transition } from './trajectory-record.ts';
