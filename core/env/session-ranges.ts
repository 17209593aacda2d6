/** A half-open range of an environment's session ids (task indexes): `start` ≤ id < `end`. */
export interface SessionRange {
  readonly start: number;
  readonly end: number;
}

/** Which session ids offline data, held-out checks and evaluation use by default: disjoint, and present on the server. */
export interface SessionRanges {
  readonly offline: SessionRange;
  readonly heldOut: SessionRange;
  readonly evaluation: SessionRange;
}
