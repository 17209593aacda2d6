import { S3Store } from '../../adapters/s3-store.ts';
import { useEmulator } from '../fixtures/fauxqs.ts';
import { describeStoreContract } from './contract.ts';

const emulator = useEmulator();
let counter = 0;

describeStoreContract('S3Store on fauxqs', async () => {
  const bucket = `bucket-${++counter}`;
  emulator().createBucket(bucket);
  return new S3Store({ bucket, prefix: 'reverie/test', client: emulator().s3 });
});
