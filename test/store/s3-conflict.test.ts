import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3Store } from '../../adapters/s3-store.ts';
import { useEmulator } from '../fixtures/fauxqs.ts';

const emulator = useEmulator();
let counter = 0;

/** What S3 answers a conditional write that races another one on the same key (fauxqs cannot produce it). */
const conflict = () => new S3ServiceException({
  name: 'ConditionalRequestConflict', $fault: 'client', $metadata: { httpStatusCode: 409 },
  message: 'A conflicting conditional operation is currently in progress against this resource.',
});

/**
 * The real fauxqs client, except that the first conditional put answers 409, optionally after letting a concurrent
 * writer's put of the same key land (the race S3 reports with 409).
 */
function racingClient(real: S3Client, bucket: string, rival: { key: string; body: string } | undefined): S3Client {
  let raced = false;
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return async (command: unknown) => {
        if (!raced && command instanceof PutObjectCommand && command.input.IfNoneMatch === '*') {
          raced = true;
          if (rival) await target.send(new PutObjectCommand({ Bucket: bucket, Key: rival.key, Body: rival.body }));
          throw conflict();
        }
        return target.send(command as PutObjectCommand);
      };
    },
  });
}

async function open(rival?: string) {
  const bucket = `conflict-${++counter}`;
  emulator().createBucket(bucket);
  const client = racingClient(emulator().s3, bucket, rival === undefined ? undefined : { key: 'p/runs/r1/_manifest.json', body: rival });
  return new S3Store({ bucket, prefix: 'p', client, conflictDelayMs: 1 });
}

describe('S3Store conditional writes under a 409 ConditionalRequestConflict (fixture on fauxqs)', () => {
  it('re-reads and reports the key as taken when the concurrent writer won', async () => {
    const store = await open('theirs');
    expect(await store.putIfAbsent('runs/r1/_manifest.json', 'ours')).toBe(false);
    expect(new TextDecoder().decode(await store.get('runs/r1/_manifest.json'))).toBe('theirs');
  });

  it('writes its own object when the concurrent writer did not land', async () => {
    const store = await open();
    expect(await store.putIfAbsent('runs/r1/_manifest.json', 'ours')).toBe(true);
    expect(new TextDecoder().decode(await store.get('runs/r1/_manifest.json'))).toBe('ours');
  });
});
