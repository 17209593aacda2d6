import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runKeys } from '../../../core/dreamgym/train/run-keys.ts';
import { readLlmUsage } from '../../../core/llm/usage-records.ts';
import { FileStore } from '../../../core/store/file-store.ts';
import { runCliJson } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/runtime.ts';
import { startOpenAIServer, type OpenAIServer } from '../../fixtures/openai-server.ts';

const BIN = path.resolve(import.meta.dirname, '../../../bin/reverie.js');
const RESULTS = 'page: results\nquery: shirt\nshowing: page 1 of 1, 1 results\nP0001: acme shirt $10.00';
const ANSWER = JSON.stringify({ reasoning: 'the search lists products', nextState: RESULTS, reward: 0, done: true, valid: true });

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const RUN = ['dreamgym', 'run', '--env', 'shop', '--mode', 'synthetic', '--experience-model', 'llm', '--iterations', '1', '--groups', '2',
  '--rollouts', '4', '--train-tasks', '2', '--eval-tasks', '4', '--no-curriculum', '--no-replay-enrichment', '--run-id', 'killed', '--json'];

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('LLM usage of an attempt killed mid-way (as by a Lambda timeout)', () => {
  it('stays in the store as the calls happen, and the finished run sums it with the retry\'s', async () => {
    // Prepare: the endpoint answers 5 calls, then holds every further request open until released
    const answeredBeforeKill = 5;
    let answered = 0;
    let holding = true;
    const held: (() => void)[] = [];
    server = await startOpenAIServer({
      respond: async () => {
        if (holding && answered >= answeredBeforeKill) await new Promise<void>((release) => held.push(release));
        answered++;
        return ANSWER;
      },
    });
    const root = await tempDir();
    const vars = { REVERIE_STORE: `file://${root}`, REVERIE_EXPERIENCE_BASE_URL: server.url, REVERIE_EXPERIENCE_MODEL: 'exp', REVERIE_EXPERIENCE_TIMEOUT_MS: '600000' };
    const store = new FileStore(root);
    const stored = async () => (await readLlmUsage(store, runKeys('killed').llm(1))).experience?.calls ?? 0;

    // Act: the run's process is killed (SIGKILL: no finally, no exit handler) while its calls are held open
    const child = spawn(process.execPath, [BIN, ...RUN], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...vars }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await waitFor(async () => held.length > 0 && (await stored()) === answeredBeforeKill, 60_000);
    child.kill('SIGKILL');
    await exited;
    // Assess: every answered call is in the store, the killed attempts' as unfinished, failed ones
    expect(await stored()).toBe(answeredBeforeKill);
    const attempts = await fs.readdir(path.join(root, 'dreamgym/runs/killed/iterations/000001/llm'), { recursive: true });
    const records = await Promise.all(attempts.filter((f) => f.endsWith('.json')).map(async (f) => JSON.parse(await fs.readFile(path.join(root, 'dreamgym/runs/killed/iterations/000001/llm', f), 'utf8'))));
    expect(records.length).toBeGreaterThan(0);
    const unfinished = records.filter((r) => r.finished === false);
    expect(unfinished.length).toBeGreaterThan(0);
    expect(unfinished.every((r) => r.failed === true && r.llm.experience.calls > 0)).toBe(true);

    // Act: the run again, the endpoint answering everything (the held requests' sockets died with the process)
    holding = false;
    for (const release of held) release();
    const rerun = await runCliJson(RUN, vars);

    // Assess: the summary counts every call the endpoint answered, the killed attempts' included, each once
    expect(rerun.code, rerun.stderr).toBe(0);
    const usage = rerun.json.llm.experience;
    expect(usage.calls).toBe(answered - held.length);
    expect(usage.calls).toBeGreaterThan(answeredBeforeKill);
  }, 180_000);
});
