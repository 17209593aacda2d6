import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError } from '../errors.ts';

export type StoreLocation =
  | { kind: 'file'; root: string }
  | { kind: 's3'; bucket: string; prefix: string };

/**
 * Parses a store URI. `file://./rel` and `file://rel` are relative to `cwd`; `file:///abs` is absolute;
 * `s3://bucket/optional/prefix` names a bucket and a key prefix.
 *
 * @example
 * parseStoreUri('file://./.reverie', '/work'); // { kind: 'file', root: '/work/.reverie' }
 * parseStoreUri('s3://my-bucket/runs');        // { kind: 's3', bucket: 'my-bucket', prefix: 'runs' }
 */
export function parseStoreUri(uri: string, cwd: string = process.cwd()): StoreLocation {
  if (uri.startsWith('file://')) {
    const rest = uri.slice('file://'.length);
    if (rest === '') throw new InvalidInputError(`store URI "${uri}" names no folder`);
    const root = rest.startsWith('/') ? fileURLToPath(`file://${rest}`) : path.resolve(cwd, rest);
    return { kind: 'file', root };
  }
  if (uri.startsWith('s3://')) {
    const rest = uri.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    const prefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw new InvalidInputError(`store URI "${uri}" has an invalid S3 bucket name "${bucket}"`);
    }
    return { kind: 's3', bucket, prefix };
  }
  throw new InvalidInputError(`store URI "${uri}" must start with file:// or s3://`);
}
