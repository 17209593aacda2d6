/**
 * Amazon S3 Vectors' documented limits (S3 User Guide, "Limitations and restrictions"; API reference of PutVectors,
 * QueryVectors, DeleteVectors, GetVectors, ListVectors, CreateIndex). The adapter keeps every request inside them and
 * the test fixture refuses any request outside them, as the service does with a 400.
 */
export const S3_VECTORS_LIMITS = {
  minDimension: 1,
  maxDimension: 4096,
  maxTopK: 100,
  maxPutVectors: 500,
  maxDeleteVectors: 500,
  maxGetVectors: 100,
  maxListVectors: 1000,
  /** Request payload. */
  maxPayloadBytes: 20 * 1024 * 1024,
  /** Filterable + non-filterable metadata per vector. */
  maxMetadataBytes: 40 * 1024,
  maxFilterableMetadataBytes: 2 * 1024,
  maxKeyLength: 1024,
  /** Vector bucket and index names: 3–63 characters. */
  nameMin: 3,
  nameMax: 63,
} as const;

/** Index and bucket names: lowercase letters, digits, dashes (and dots for indexes), 3–63 characters. */
export const S3_VECTORS_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
