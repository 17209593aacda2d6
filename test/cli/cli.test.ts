import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';

async function env() {
  return { REVERIE_STORE: `file://${await tempDir()}` };
}

describe('reverie CLI', () => {
  it('prints help listing the commands', async () => {
    const result = await runCli(['--help'], await env());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/workflow run <name>/);
    expect(result.stdout).toMatch(/dreamgym offline/);
  });

  it('runs a workflow, prints JSON, and reads its status in a later process', async () => {
    const vars = await env();
    const run = await runCli(['workflow', 'run', 'store-verify', '--json'], vars);
    expect(run.code).toBe(0);
    const record = JSON.parse(run.stdout);
    expect(record.status).toBe('SUCCEEDED');
    const status = await runCli(['workflow', 'status', record.id, '--json'], vars);
    expect(JSON.parse(status.stdout)).toMatchObject({ id: record.id, status: 'SUCCEEDED' });
  });

  it('writes an offline dataset and reports its size', async () => {
    const result = await runCli(['dreamgym', 'offline', '--env', 'shop', '--expert', '20', '--random', '10', '--json'], await env());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ trajectories: 30, env: 'shop', plan: { expert: 20, random: 10 } });
  });

  it('measures the built-in experience model\'s consistency on held-out transitions', async () => {
    const vars = await env();
    await runCli(['dreamgym', 'offline', '--expert', '150', '--noisy', '75', '--random', '75', '--dataset', 'small'], vars);
    const result = await runCli(['dreamgym', 'consistency', '--env', 'shop', '--dataset', 'small', '--held-out', '40', '--json'], vars);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['transitions', 'nextStateAgreement', 'rewardAgreement', 'invalidAgreement', 'unseen']));
    expect(report.transitions).toBeGreaterThan(100);
    expect(report.unseen.transitions).toBeGreaterThan(0);
    expect(report.unseen.transitions).toBeLessThan(report.transitions);
    expect(report.unseen.nextStateAgreement).toBeLessThanOrEqual(1);
    expect(report.nextStateAgreement).toBeGreaterThan(0.6);
    expect(report.invalidActionAgreement).toBeGreaterThan(0.9);
  });

  it('runs early experience and prints the dataset summary', async () => {
    const result = await runCli(['early', 'run', '--env', 'shop', '--k', '3', '--experts', '10', '--json'], await env());
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.expertStates).toBeGreaterThan(10);
    expect(summary.iwmRecords).toBe(summary.expertStates + summary.alternatives);
    expect(summary.srRecords).toBe(summary.expertStates);
    expect(summary.datasets.iwm).toMatch(/^file:\/\/.*iwm\.jsonl$/);
  });

  it('runs a small DreamGym training run and prints the issue\'s summary fields', async () => {
    const vars = await env();
    await runCli(['dreamgym', 'offline', '--expert', '150', '--noisy', '75', '--random', '75', '--dataset', 'small'], vars);
    const result = await runCli(['dreamgym', 'run', '--env', 'shop', '--mode', 'synthetic', '--iterations', '2', '--groups', '3', '--rollouts', '4', '--dataset', 'small', '--json'], vars);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(Object.keys(summary).slice(0, 9)).toEqual(['mode', 'iterations', 'syntheticRollouts', 'realInteractions', 'offlineInteractions',
      'evaluationInteractions', 'realSuccessBefore', 'realSuccessAfter', 'curve']);
    expect(summary).toMatchObject({ mode: 'synthetic', iterations: 2, syntheticRollouts: 24, realInteractions: 0 });
    expect(summary.offlineInteractions).toBeGreaterThan(300);
    expect(summary.evaluationInteractions).toBeGreaterThan(0);
    expect(summary.curve.map((p: number[]) => p[0])).toEqual([0, 1, 2]);
  });

  it('names bad usage and bad configuration with exit code 2 and no stack trace', async () => {
    const cases = [
      { args: ['nope'], match: /unknown command "nope"/ },
      { args: ['workflow', 'status', 'no-such-id'], match: /no execution "no-such-id"/ },
      { args: ['dreamgym', 'offline', '--random', '-3'], match: /--random|option/ },
      { args: ['dreamgym', 'offline', '--env', 'gopher://x', '--random', '1'], match: /env: an environment: "shop" or the http\(s\) base URL/ },
      { args: ['dreamgym', 'offline', '--random', '1', '--dataset', 'Bad Id!'], match: /invalid options: dataset/ },
      { args: ['early', 'run', '--k', '0'], match: /--k expects a whole number from 1 to 64/ },
      { args: ['dreamgym', 'run', '--mode', 'dream'], match: /invalid options: mode/ },
    ];
    for (const { args, match } of cases) {
      const result = await runCli(args, await env());
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(match);
      expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
    const badConfig = await runCli(['workflow', 'list'], { ...(await env()), REVERIE_LOG_LEVEL: 'loud' });
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/REVERIE_LOG_LEVEL: expected/);
  }, 180_000); // eight CLI processes one after another: ~10 s each on a loaded 2-core machine
});
