import { describe, expect, it } from 'vitest';
import { evaluateBuiltinBackfill } from '../../core/backfill/eval/evaluate-builtin.ts';
import { evaluateBuiltinWithProgress } from '../../core/backfill/pipeline/evaluate-with-progress.ts';

describe('evaluateBuiltinWithProgress', () => {
  it('reports progress by query chunk and gives the same numbers as one whole evaluation', async () => {
    // Prepare
    const steps: [number, number][] = [];
    // Act
    const chunked = await evaluateBuiltinWithProgress('mnist', {
      maxQueries: 40, chunkQueries: 15, onlinePsi: ['least-squares'],
      onProgress: (done, total, stage) => stage === 'evaluating queries' && steps.push([done, total]),
    });
    const whole = await evaluateBuiltinBackfill('mnist', { maxQueries: 40, onlinePsi: ['least-squares'] });
    // Assess
    expect(steps).toEqual([[15, 40], [30, 40], [40, 40]]);
    expect(chunked.queryCount).toBe(whole.queryCount);
    expect(chunked.mAP.old).toBeCloseTo(whole.mAP.old, 12);
    expect(chunked.mAP.new).toBeCloseTo(whole.mAP.new, 12);
    expect(Object.keys(chunked.modes)).toEqual(Object.keys(whole.modes));
    for (const [mode, summary] of Object.entries(whole.modes)) {
      expect(chunked.modes[mode].auc, mode).toBeCloseTo(summary.auc, 12);
      expect(chunked.modes[mode].negativeFlips, mode).toBe(summary.negativeFlips);
      chunked.modes[mode].curve.forEach((point, i) => expect(point[2]).toBeCloseTo(summary.curve[i][2], 12));
      for (const kind of ['top1', 'ap'] as const) {
        chunked.modes[mode].queryFlipRate[kind].forEach(([f, share], i) => {
          expect(f).toBe(summary.queryFlipRate[kind][i][0]);
          expect(share, `${mode} ${kind} at ${f}`).toBeCloseTo(summary.queryFlipRate[kind][i][1], 12);
        });
      }
    }
  });
});
