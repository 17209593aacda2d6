/**
 * The one storage port Reverie uses everywhere. Keys are `/`-separated relative paths; adapters map them to
 * files under a folder (`file://`) or objects under a bucket prefix (`s3://`).
 */
export interface ObjectInfo {
  key: string;
  size: number;
  /** The object's version tag where the backend has one (S3's ETag, quotes stripped). */
  etag?: string;
}

export interface ListOptions {
  startAfter?: string;
}

export type Body = Uint8Array | string;

export interface Store {
  /** The URI this store was opened from, e.g. `file:///data/.reverie` or `s3://bucket/prefix`. */
  readonly uri: string;
  /** Writes (or overwrites) one object atomically: readers see the old or the new bytes, never a mix. */
  put(key: string, body: Body): Promise<void>;
  /** Streams a large object in; the object appears only once the stream ends without error. */
  putStream(key: string, body: AsyncIterable<Uint8Array>): Promise<void>;
  /** Writes only when the key does not exist yet; returns false (and writes nothing) when it does. */
  putIfAbsent(key: string, body: Body): Promise<boolean>;
  /** Reads a whole object. Throws `NotFoundError` naming the key when it is missing. */
  get(key: string): Promise<Uint8Array>;
  /** Reads an object as a stream of chunks. Throws `NotFoundError` when it is missing. */
  getStream(key: string): Promise<AsyncIterable<Uint8Array>>;
  /** Size of an object, or undefined when it does not exist. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /**
   * Every object whose key starts with `prefix`, in lexicographic key order; with `startAfter`, only keys after it
   * (S3's StartAfter), so a paged scan resumes without re-listing what it has seen.
   */
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo>;
  /** Removes an object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
}
