import { describe, expect, it } from 'vitest';
import { renderReport } from '../../core/report/render-report.ts';
import { RunReportSchema, type RunReport } from '../../core/report/report-model.ts';
import { lineChart } from '../../core/report/svg-chart.ts';

function sampleReport(): RunReport {
  return RunReportSchema.parse({
    id: 'run-1',
    createdAt: '2026-11-25T00:00:00Z',
    durationSeconds: 12.5,
    metadata: { config: { store: 'file://x' }, seeds: { dreamgym: 1 }, versions: { node: 'v22' }, timings: { dreamgym: 3 }, machine: { cpus: 2 } },
    dreamgym: {
      env: 'shop', iterations: 2,
      modes: [
        { mode: 'real', label: 'real-env GRPO', seeds: 3, syntheticRollouts: 0, realInteractions: 900, realSuccessBefore: 0.05, realSuccessAfter: 0.61, realSuccessSpread: 0.02, curve: [[0, 0.05], [1, 0.4], [2, 0.61]] },
        { mode: 'synthetic', label: 'DreamGym <synthetic>', seeds: 3, syntheticRollouts: 900, realInteractions: 0, realSuccessBefore: 0.05, realSuccessAfter: 0.58, curve: [[0, 0.05], [1, 0.33], [2, 0.58]] },
      ],
    },
    backfill: {
      dataset: 'fashion-mnist', galleryItems: 9000, queries: 1000, mAP: { old: 0.5, new: 0.7 },
      modes: {
        'rt-merge': {
          auc: 0.65, relativeGain: 0.75, negativeFlips: 0, curve: [[0, 0.5, 0.8], [0.5, 0.63, 0.85], [1, 0.7, 0.9]],
          queryFlipRate: { top1: [[0, 0.05], [0.5, 0.07], [1, 0.06]], ap: [[0, 0.2], [0.5, 0.3], [1, 0.1]] },
        },
      },
    },
    datasets: [{ name: 'iwm', records: 1234, uri: 'file://x/early/iwm.jsonl' }],
  });
}

describe('renderReport', () => {
  it('draws every curve point of every training mode and backfill mode from the report data', () => {
    const html = renderReport(sampleReport());
    expect(html.match(/<circle data-series="real-env GRPO"/g)).toHaveLength(3);
    expect(html).toContain('data-series="DreamGym &lt;synthetic&gt;" data-x="2" data-y="0.58"');
    expect(html).toContain('data-series="rt-merge" data-x="0.5" data-y="0.63"');
    expect(html).toContain('data-series="old model"');
    expect(html).toContain('data-bar="iwm" data-value="1234"');
  });

  it('names the curve-level count for what it is and shows the per-query flip rates beside it', () => {
    const html = renderReport(sampleReport());
    expect(html).toContain('<th>curve points below old mAP</th>');
    expect(html).toContain('<td>rt-merge</td><td>0.650</td><td>0.750</td><td>0</td><td>6.0% / 7.0%</td><td>20.0% / 30.0%</td>');
    expect(html).toContain('data-series="rt-merge" data-x="0.5" data-y="0.07"');
  });

  it('is self-contained: no scripts, no external resources, and escapes text', () => {
    const html = renderReport(sampleReport());
    expect(html).not.toMatch(/<script|src="http|href="http/);
    expect(html).not.toContain('<synthetic>');
    expect(html).toContain('real-env GRPO');
  });

  it('shows early experience\'s branching next to its size-matched control, with seeds and intervals', () => {
    // Prepare
    const interval = (mean: number, lo: number, hi: number) => ({ n: 3, mean, sd: 0.01, ci95: [lo, hi] });
    const report = RunReportSchema.parse({
      ...sampleReport(),
      early: {
        env: 'shop', k: 4, expertStates: 880, alternatives: 3373, iwmRecords: 4253, srRecords: 880, srWriter: 'template', datasets: {},
        branchingControl: {
          seeds: [1, 2, 3], heldOutTrajectories: 200, added: { branching: 3364, control: 3367 },
          agreement: { experts: interval(0.75, 0.73, 0.77), branching: interval(0.897, 0.875, 0.919), control: interval(0.868, 0.85, 0.887) },
          difference: { branchingMinusControl: interval(0.028, 0.019, 0.038), branchingMinusExperts: interval(0.144, 0.128, 0.16), controlMinusExperts: interval(0.116, 0.097, 0.134) },
        },
      },
    });
    // Act
    const html = renderReport(report);
    // Assess
    expect(html).toContain('<td>+ size-matched control (plain noisy/random episodes)</td><td>3,367</td><td>0.868 [0.850, 0.887]</td>');
    expect(html).toContain('<td>+ branch transitions (early experience)</td><td>3,364</td><td>0.897 [0.875, 0.919]</td>');
    expect(html).toContain('<strong>2.8 [1.9, 3.8]</strong>');
    expect(html).toContain('over 3 seeds (1, 2, 3)');
  });

  it('lists the LLM calls, retries, failures and tokens per role, or says none was called', () => {
    const usage = { calls: 1204, retries: 7, schemaFailures: 3, failures: 1, promptTokens: 880123, completionTokens: 91234 };
    const html = renderReport({ ...sampleReport(), llm: { experience: usage } });
    expect(html).toContain('<td>experience</td><td>1,204</td><td>7</td><td>3</td><td>1</td><td>880,123</td><td>91,234</td>');
    expect(renderReport(sampleReport())).toContain('No LLM was called (built-in models only).');
  });

  it('leaves out sections the run did not produce', () => {
    const report = { ...sampleReport(), dreamgym: undefined, backfill: undefined };
    const html = renderReport(report);
    expect(html).not.toContain('id="dreamgym"');
    expect(html).not.toContain('id="backfill"');
    expect(html).toContain('id="datasets"');
  });
});

describe('lineChart', () => {
  it('maps larger values higher on the page', () => {
    const svg = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [[0, 0], [1, 1]] }] });
    const ys = [...svg.matchAll(/data-y="(\d)" cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(ys).toHaveLength(2);
    const [low, high] = ys.sort((a, b) => a[0] - b[0]);
    expect(high[1]).toBeLessThan(low[1]);
  });
});
