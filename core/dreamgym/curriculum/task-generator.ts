export type { CheckedVariation, TaskGenerator } from '../../env/environment-kind.ts';
