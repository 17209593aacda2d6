export { BuiltinExperienceModel } from './builtin-experience-model.ts';
export type { BuiltinExperienceModelOptions } from './builtin-experience-model.ts';
export { EpisodeStats } from './episode-stats.ts';
