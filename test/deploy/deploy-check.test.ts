import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKFLOWS_DIR } from '../../workflows/definitions.ts';
import { checkDeployedDefinition, renderForCheck } from '../../workflows/deploy/check.ts';
import { estimateHistory } from '../../workflows/deploy/history.ts';
import { oldStoreVerifyProfile, PROFILES, storeVerifyProfile } from '../../workflows/deploy/profiles.ts';

const files = fs.readdirSync(WORKFLOWS_DIR).filter((f) => f.endsWith('.asl.json'));
const deployed = (name: string) => renderForCheck(fs.readFileSync(path.join(WORKFLOWS_DIR, `${name}.asl.json`), 'utf8'));
const fixture = (file: string) => renderForCheck(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', file), 'utf8'));
const rules = (findings: Array<{ rule: string }>) => [...new Set(findings.map((f) => f.rule))].sort();

describe('deploy check: the state machines as infra deploys them', () => {
  it('has a maximum-size profile for every workflow', () => {
    expect(Object.keys(PROFILES).sort()).toEqual(files.map((f) => f.replace('.asl.json', '')).sort());
  });

  it('renders every placeholder to an ARN or URL, as infra/workflows.ts does', () => {
    for (const file of files) {
      const text = JSON.stringify(deployed(file.replace('.asl.json', '')));
      expect(text, file).not.toMatch(/\$\{(fn|queue):/);
    }
  });

  it.each(Object.entries(PROFILES))('%s passes every rule at its documented maximum size', (name, profiles) => {
    const definition = deployed(name);
    for (const profile of profiles) expect(checkDeployedDefinition(definition, profile), profile.size).toEqual([]);
  });

  it('rejects a Lambda Task without the Lambda service-error retry block', () => {
    const findings = checkDeployedDefinition(fixture('task-without-lambda-retry.asl.json'), { size: 'one task', mapItems: {} });
    expect(findings).toEqual([expect.objectContaining({ rule: 'lambda-retry', state: 'Sample', message: expect.stringMatching(/Lambda.TooManyRequestsException.*Sandbox.Timedout/) })]);
  });

  it('rejects the old store-verify: no Lambda retries, an inline Map in an unbounded loop, far over 25,000 events', () => {
    const findings = checkDeployedDefinition(fixture('store-verify.old.asl.json'), oldStoreVerifyProfile(1_000_000, 100));
    expect(rules(findings)).toEqual(['history-events', 'inline-map-loop', 'lambda-retry']);
    // the figure: ~7 events per batch, so the limit falls near 3,500 batches
    const at = (batches: number) => estimateHistory(fixture('store-verify.old.asl.json'), oldStoreVerifyProfile(batches, 100)).events;
    expect(at(3_000)).toBeLessThan(25_000);
    expect(at(3_600)).toBeGreaterThan(25_000);
  });

  it('rejects the old dreamgym-train: Map results in the state, no Lambda retries, no heartbeat on the task-token wait', () => {
    const findings = checkDeployedDefinition(fixture('dreamgym-train.old.asl.json'), PROFILES['dreamgym-train'][0]);
    expect(rules(findings)).toEqual(expect.arrayContaining(['lambda-retry', 'map-results', 'task-token-heartbeat']));
    expect(findings.find((f) => f.rule === 'map-results')?.state).toBe('RolloutGroups');
  });

  it('keeps one store-verify run under the limit however the pages fall', () => {
    for (const [batches, pageSize] of [[1_000_000, 100], [1_000_000, 200], [300_000, 1], [2_000_000, 50]]) {
      const history = estimateHistory(deployed('store-verify'), storeVerifyProfile(batches, pageSize));
      expect(history.events, `${batches} at ${pageSize}`).toBeLessThan(25_000);
      for (const child of history.children) expect(child.events).toBeLessThan(25_000);
    }
  });
});
