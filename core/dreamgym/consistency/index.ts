export { consistencyCases } from './cases.ts';
export type { ConsistencyCase } from './cases.ts';
export { percentile } from './consistency-report.ts';
export type { ConsistencyReport, Disagreement, KindAgreement } from './consistency-report.ts';
export { evaluateConsistency } from './evaluate-consistency.ts';
export type { ConsistencyOptions } from './evaluate-consistency.ts';
export { textStateAgreement } from './state-agreement.ts';
export type { StateAgreement, StateComparison } from './state-agreement.ts';
export { heldOutTrajectories } from './held-out.ts';
