import type { Column, Row } from './columns.ts';

/** The dataset kinds `reverie export` reads, each named `<kind>:<id>` on the command line. */
export const DatasetKind = {
  rollouts: 'rollouts', offline: 'offline', sft: 'sft', iwm: 'iwm', sr: 'sr', embeddings: 'embeddings',
} as const;
export type DatasetKind = (typeof DatasetKind)[keyof typeof DatasetKind];

/** Trajectories of one task sampled together, in OpenPipe ART's `TrajectoryGroup` shape. */
export interface ArtTrajectoryGroup {
  readonly trajectories: readonly {
    readonly messages_and_choices: readonly unknown[];
    readonly reward: number;
    readonly metrics: Record<string, number | boolean>;
    readonly metadata: Record<string, string | number | boolean | null>;
  }[];
  readonly metadata: Record<string, string | number | boolean | null>;
}

/**
 * One stored dataset as an export reads it: typed columns, the row count its committed metadata states, and its
 * rows, one source part (a committed batch) at a time so an export never holds the whole dataset.
 */
export interface ExportSource {
  readonly kind: DatasetKind;
  readonly id: string;
  readonly columns: readonly Column[];
  /** Rows the store's manifests and descriptors say the dataset holds; the export checks it wrote exactly these. */
  readonly rows: number;
  /** For the dataset card: how the data was made, and the run it came from. */
  readonly description: string;
  readonly provenance: Record<string, string | number | boolean>;
  batches(): AsyncIterable<Row[]>;
  /** Trajectory kinds only: the same trajectories as ART trajectory groups. */
  groups?(): AsyncIterable<ArtTrajectoryGroup[]>;
}
