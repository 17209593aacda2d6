export { measureBranchingAgainstControl } from './branching-control.ts';
export type { BranchingControlOptions, BranchingControlSeed, BufferAgreement } from './branching-control.ts';
export { sizeMatchedControl } from './size-matched-control.ts';
export type { ControlOptions } from './size-matched-control.ts';
export { summarizeBranchingControl } from './summarize-control.ts';
export type { BranchingControlSummary } from './summarize-control.ts';
