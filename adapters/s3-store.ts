import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { NotFoundError } from '../core/errors.ts';
import { assertKey, assertPrefix } from '../core/store/keys.ts';
import type { Body, ListOptions, ObjectInfo, Store } from '../core/store/store.ts';

export interface S3StoreOptions {
  bucket: string;
  prefix?: string;
  client?: S3Client;
  /** Wait before re-reading after a 409 ConditionalRequestConflict (times the attempt). */
  conflictDelayMs?: number;
}

/**
 * The S3 adapter of the store port. Keys live under `prefix/` in `bucket`. It passes the same contract tests as
 * `FileStore` (see test/store.contract.ts), run against the fauxqs emulator.
 */
export class S3Store implements Store {
  readonly uri: string;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly client: S3Client;
  private readonly conflictDelayMs: number;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ? `${options.prefix.replace(/\/+$/, '')}/` : '';
    this.client = options.client ?? new S3Client({});
    this.conflictDelayMs = options.conflictDelayMs ?? 100;
    this.uri = `s3://${this.bucket}${this.prefix ? `/${this.prefix.slice(0, -1)}` : ''}`;
  }

  async put(key: string, body: Body): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), Body: body }));
  }

  async putStream(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const { Readable } = await import('node:stream');
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.objectKey(key), Body: Readable.from(body) },
    });
    await upload.done();
  }

  async putIfAbsent(key: string, body: Body): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      // S3 enforces If-None-Match itself; the head check also covers emulators that ignore the header.
      if (await this.head(key)) return false;
      try {
        await this.client.send(
          new PutObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), Body: body, IfNoneMatch: '*' }),
        );
        return true;
      } catch (error) {
        if (isPreconditionFailed(error)) return false;
        // 409 ConditionalRequestConflict: another conditional write of this key is in flight. Re-read: when theirs
        // lands the key exists and ours is refused like a 412; when theirs failed, try again.
        if (!isConditionalConflict(error) || attempt >= CONFLICT_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, this.conflictDelayMs * attempt));
      }
    }
  }

  async get(key: string): Promise<Uint8Array> {
    const response = await this.getObject(key);
    return await response.Body!.transformToByteArray();
  }

  async getStream(key: string): Promise<AsyncIterable<Uint8Array>> {
    const response = await this.getObject(key);
    return response.Body as unknown as AsyncIterable<Uint8Array>;
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { key, size: out.ContentLength ?? 0 };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    assertPrefix(prefix);
    const startAfter = options.startAfter === undefined ? undefined : this.prefix + options.startAfter;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token, StartAfter: token ? undefined : startAfter }),
      );
      for (const object of page.Contents ?? []) {
        yield { key: object.Key!.slice(this.prefix.length), size: object.Size ?? 0, ...(object.ETag ? { etag: object.ETag.replace(/"/g, '') } : {}) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  private async getObject(key: string) {
    try {
      return await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    } catch (error) {
      if (isMissing(error)) throw new NotFoundError(`no object "${key}" in ${this.uri}`, { cause: error });
      throw error;
    }
  }

  private objectKey(key: string): string {
    return this.prefix + assertKey(key);
  }
}

const CONFLICT_ATTEMPTS = 5;

function isPreconditionFailed(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 412 || error.name === 'PreconditionFailed');
}

function isConditionalConflict(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 409 || error.name === 'ConditionalRequestConflict');
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404)
  );
}
