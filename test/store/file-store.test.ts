import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../core/store/file-store.ts';
import { parseStoreUri } from '../../core/store/uri.ts';
import { describeStoreContract } from './contract.ts';

const roots: string[] = [];
async function freshStore(): Promise<FileStore> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'reverie-store-'));
  roots.push(root);
  return new FileStore(root);
}
afterAll(async () => {
  for (const root of roots) await fs.rm(root, { recursive: true, force: true });
});

describeStoreContract('FileStore', freshStore);

describe('FileStore', () => {
  it('leaves no temporary files visible to list after writes', async () => {
    const store = await freshStore();
    await store.put('x', '1');
    await store.putIfAbsent('y', '2');
    const keys: string[] = [];
    for await (const info of store.list('')) keys.push(info.key);
    expect(keys).toEqual(['x', 'y']);
  });
});

describe('parseStoreUri', () => {
  it('resolves relative and absolute file URIs and splits S3 bucket and prefix', () => {
    expect(parseStoreUri('file://./.reverie', '/work')).toEqual({ kind: 'file', root: '/work/.reverie' });
    expect(parseStoreUri('file:///data/x', '/work')).toEqual({ kind: 'file', root: '/data/x' });
    expect(parseStoreUri('s3://my-bucket/runs/a/')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: 'runs/a' });
    expect(parseStoreUri('s3://my-bucket')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '' });
  });

  it('names the problem with an unsupported scheme or a bad bucket', () => {
    expect(() => parseStoreUri('gs://x')).toThrow(/must start with file:\/\/ or s3:\/\//);
    expect(() => parseStoreUri('s3://Bad_Bucket/x')).toThrow(/invalid S3 bucket name "Bad_Bucket"/);
  });
});
