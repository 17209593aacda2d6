import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../core/errors.ts';
import { commitBatch } from '../../core/store/batch.ts';
import { FileStore } from '../../core/store/file-store.ts';
import type { Store } from '../../core/store/store.ts';
import { ExecutionLog } from '../../core/workflow/execution-log.ts';
import { runCli } from '../helpers/cli.ts';
import { testRuntime, tempDir } from '../helpers/runtime.ts';

async function seed(store: Store, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await commitBatch(store, `data/batch-${String(i).padStart(4, '0')}`, [{ name: 'rows.jsonl', body: `{"i":${i}}\n` }]);
  }
}

/** A store whose first `failures` reads of matching keys fail as if S3 were briefly unavailable. */
function flaky(store: Store, match: RegExp, failures: number): Store {
  let left = failures;
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'get') {
        return async (key: string) => {
          if (match.test(key) && left-- > 0) throw new UnavailableError(`injected outage reading ${key}`);
          return target.get(key);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

describe('store-verify workflow on the local engine', () => {
  it('pages through every batch in segments, finds the corrupt one and fails the run with the full summary kept', async () => {
    const runtime = await testRuntime();
    await seed(runtime.store, 23);
    await runtime.store.put('data/batch-0007/rows.jsonl', 'tampered');
    const engine = await runtime.engine();

    const started = await engine.start('store-verify', { prefix: 'data/', pageSize: 10 });
    const done = await engine.wait(started.id);

    expect(done.status).toBe('FAILED');
    expect(done.error?.error).toBe('StoreCorrupt');
    expect(done.error?.cause).toMatch(/23 batches under "data\/": 22 ok, 1 corrupt.*data\/batch-0007\/rows.jsonl.*corrupt/);
    const report = JSON.parse(new TextDecoder().decode(await runtime.store.get(`reports/store-verify/${started.id}.json`)));
    expect(report).toMatchObject({ batches: 23, ok: 22, corrupt: 1, prefix: 'data/' });
    expect(done.progress).toMatchObject({ mapIterationsFailed: 0 });
    // three pages of one segment: ListPage, Tally three times, 23 batches, one report
    expect(done.progress!.tasksSucceeded).toBe(3 + 23 + 3 + 1);
  });

  it('counts the good batches and reports the one whose manifest is garbage', async () => {
    const runtime = await testRuntime();
    await seed(runtime.store, 5);
    await runtime.store.put('data/batch-0002/_manifest.json', '{ not json');
    const engine = await runtime.engine();

    const done = await engine.wait((await engine.start('store-verify', { prefix: 'data/' })).id);

    expect(done.status).toBe('FAILED');
    expect(done.error?.error).toBe('StoreCorrupt');
    expect(done.error?.cause).toMatch(/5 batches under "data\/": 4 ok, 1 corrupt.*batch-0002: unreadable manifest/);
  });

  it('exits non-zero from the CLI when it finds corruption, naming the counts', async () => {
    const root = await tempDir();
    const store = new FileStore(root);
    await seed(store, 4);
    await store.put('data/batch-0001/_manifest.json', 'garbage');
    const inputFile = `${await tempDir()}/input.json`;
    await (await import('node:fs/promises')).writeFile(inputFile, '{"prefix":"data/"}');
    const run = await runCli(['workflow', 'run', 'store-verify', '--input', inputFile], { REVERIE_STORE: `file://${root}` });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAILED/);
    expect(run.stdout).toMatch(/StoreCorrupt: 4 batches under "data\/": 3 ok, 1 corrupt/);
  });

  it('succeeds with the summary as output when every batch is intact, across segments', async () => {
    const runtime = await testRuntime();
    await seed(runtime.store, 301);
    const engine = await runtime.engine();

    const done = await engine.wait((await engine.start('store-verify', { prefix: 'data/', pageSize: 1 })).id);

    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toMatchObject({ batches: 301, ok: 301, corrupt: 0, message: expect.stringMatching(/^301 batches/) });
    // 301 pages of one batch each: a segment ends after 300 pages, so a second segment (child execution) verifies the last
    expect(done.progress!.tasksSucceeded).toBe(301 * 3 + 1);
  });

  it('retries a Task that fails while the store is briefly unavailable', async () => {
    const root = await tempDir();
    const base = new FileStore(root);
    await seed(base, 3);
    const runtime = await testRuntime({ store: flaky(base, /batch-0001\/rows/, 2) });
    const engine = await runtime.engine();

    const done = await engine.wait((await engine.start('store-verify', {})).id);

    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toMatchObject({ batches: 3, ok: 3, corrupt: 0 });
    expect(done.progress!.retries).toBe(2);
  });

  it('records a failure with the error name and cause once retries are spent', async () => {
    const root = await tempDir();
    const base = new FileStore(root);
    await seed(base, 2);
    const runtime = await testRuntime({ store: flaky(base, /batch-0000\/rows/, 100) });
    const engine = await runtime.engine();

    const done = await engine.wait((await engine.start('store-verify', {})).id);

    expect(done.status).toBe('FAILED');
    expect(done.error).toEqual({ error: 'UnavailableError', cause: expect.stringContaining('injected outage') });
  });

  it('keeps status, input and output in the store for a later process to read', async () => {
    const runtime = await testRuntime();
    await seed(runtime.store, 1);
    const engine = await runtime.engine();
    const { id } = await engine.start('store-verify', { prefix: 'data/' });
    await engine.wait(id);

    const later = new ExecutionLog(new FileStore(runtime.root));
    const record = await later.get(id);

    expect(record).toMatchObject({ id, workflow: 'store-verify', status: 'SUCCEEDED', input: { prefix: 'data/', pageSize: 100 } });
    expect(record.output).toMatchObject({ batches: 1 });
    expect(await later.list('store-verify')).toContain(id);
  });

  it('reports a run whose process died as aborted, not running forever', async () => {
    const runtime = await testRuntime();
    const log = new ExecutionLog(runtime.store, { isAlive: () => false });
    const now = new Date().toISOString();
    await log.save({
      id: 'store-verify-x1', workflow: 'store-verify', engine: 'local', status: 'RUNNING', input: {},
      startedAt: now, updatedAt: now, runner: { host: (await import('node:os')).hostname(), pid: 999_999 },
    });
    const record = await log.get('store-verify-x1');
    expect(record.status).toBe('ABORTED');
    expect(record.error?.cause).toMatch(/pid 999999/);
  });

  it('refuses bad input before starting anything', async () => {
    const runtime = await testRuntime();
    const engine = await runtime.engine();
    await expect(engine.start('store-verify', { pageSize: 0 })).rejects.toThrow(/invalid input for workflow "store-verify": pageSize/);
    await expect(engine.start('no-such-flow', {})).rejects.toThrow(/no workflow named "no-such-flow"/);
    expect(await engine.list()).toEqual([]);
  });
});
