import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/runtime.ts';

async function env() {
  return { REVERIE_STORE: `file://${await tempDir()}` };
}

describe('reverie backfill', () => {
  it('ingests a gallery, backfills it in bounded steps, reports progress and searches it meanwhile', async () => {
    // Prepare
    const vars = await env();
    const ingest = await runCli(['backfill', 'ingest', '--dataset', 'mnist', '--gallery', 'digits', '--max-items', '600', '--max-queries', '20', '--shard-size', '200', '--json'], vars);

    // Act
    const step = await runCli(['backfill', 'run', 'digits', '--max-shards', '2', '--json'], vars);
    const status = await runCli(['backfill', 'status', 'digits', '--json'], vars);
    const search = await runCli(['backfill', 'search', 'digits', '--item', 'q-00001', '--mode', 'rt-merge', '--k', '4', '--json'], vars);
    const rest = await runCli(['backfill', 'run', 'digits'], vars);

    // Assess
    expect(ingest.code).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ gallery: 'digits', items: 600, queries: 20, shards: 3 });
    expect(step.code).toBe(0);
    expect(JSON.parse(step.stdout)).toMatchObject({ status: 'backfilling', shards: { backfilled: 2, total: 3 }, run: { shardsEmbedded: 2 } });
    expect(JSON.parse(status.stdout)).toMatchObject({ items: { total: 600, backfilled: 400 } });
    const hits = JSON.parse(search.stdout);
    expect(hits).toMatchObject({ mode: 'rt-merge', k: 4, query: { id: 'q-00001' } });
    expect(hits.backfilledFraction).toBeCloseTo(2 / 3, 5);
    expect(hits.hits).toHaveLength(4);
    expect(rest.code).toBe(0);
    expect(rest.stdout).toMatch(/gallery digits: complete, answering with the new model/);
    expect(rest.stdout).toMatch(/backfilled 600\/600 items \(100\.0%\), 3\/3 shards of 200/);
    expect(rest.stdout).toMatch(/this run embedded 1 shards/);
  });

  it('prints the evaluation as {dataset, mAP, modes} with a curve per mode', async () => {
    // Act
    const result = await runCli(['backfill', 'eval', '--dataset', 'mnist', '--max-queries', '30', '--json'], await env());
    // Assess
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report).slice(0, 3)).toEqual(['dataset', 'mAP', 'modes']);
    expect(report.dataset).toBe('mnist');
    expect(report.mAP.new).toBeGreaterThan(report.mAP.old);
    expect(Object.keys(report.modes)).toEqual(['old', 'naive', 'rank-merge', 'rt-merge']);
    type Mode = { auc: number; relativeGain: number; negativeFlips: number; curve: number[][]; queryFlipRate: { top1: number[][]; ap: number[][] } };
    for (const mode of Object.values(report.modes) as Mode[]) {
      expect(mode).toEqual({
        auc: expect.any(Number), relativeGain: expect.any(Number), negativeFlips: expect.any(Number), curve: expect.any(Array),
        queryFlipRate: { top1: expect.any(Array), ap: expect.any(Array) },
      });
      expect(mode.curve.map((p) => p[0])).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
      expect(mode.curve.every((p) => p.length === 3)).toBe(true);
      for (const rate of [mode.queryFlipRate.top1, mode.queryFlipRate.ap]) {
        expect(rate.map((p) => p[0])).toEqual(mode.curve.map((p) => p[0]));
        // a share of whole queries
        for (const [, share] of rate) expect(Math.abs(share * report.queryCount - Math.round(share * report.queryCount))).toBeLessThan(1e-9);
      }
    }
    expect(report.modes.old.queryFlipRate.top1.every(([, share]: number[]) => share === 0)).toBe(true);
    expect(report.modes['rt-merge'].curve.at(-1)[1]).toBeCloseTo(report.mAP.new, 10);
  });

  it('names bad usage and unknown galleries with exit code 2', async () => {
    // Prepare
    const vars = await env();
    const cases = [
      { args: ['backfill', 'status', 'nope'], match: /no gallery "nope"/ },
      { args: ['backfill', 'ingest', '--dataset', 'mnist', '--split', 'half'], match: /--split must be gallery or all/ },
      { args: ['backfill', 'search', 'nope'], match: /exactly one of --item or --image/ },
      { args: ['backfill', 'eval', '--dataset', 'cifar'], match: /--dataset must be one of fashion-mnist, mnist/ },
    ];
    // Act
    const results = await Promise.all(cases.map(({ args }) => runCli(args, vars)));
    // Assess
    results.forEach((result, i) => {
      expect(result.code, cases[i].args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(cases[i].match);
      expect(result.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
    });
  });
});
