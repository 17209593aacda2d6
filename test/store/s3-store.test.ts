import { afterAll, beforeAll } from 'vitest';
import { S3Store } from '../../adapters/s3-store.ts';
import { startEmulator, type Emulator } from '../fixtures/fauxqs.ts';
import { describeStoreContract } from './contract.ts';

let emulator: Emulator;
let counter = 0;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

describeStoreContract('S3Store on fauxqs', async () => {
  const bucket = `bucket-${++counter}`;
  emulator.createBucket(bucket);
  return new S3Store({ bucket, prefix: 'reverie/test', client: emulator.s3 });
});
