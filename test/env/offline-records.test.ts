import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.ts';
import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import { generateOfflineTrajectories } from '../../core/dreamgym/offline/generate.ts';
import { parseTrajectoryJsonl, toJsonl } from '../../core/dreamgym/offline/parse-records.ts';
import { shopOfflinePolicies } from '../../core/env/shop/offline-policies.ts';
import { TrajectoryRecordSchema } from '../../core/dreamgym/offline/trajectory-record.ts';
import type { TrajectoryRecord } from '../../core/dreamgym/offline/trajectory-record.ts';

const shop = createShopEnvironment({ seed: 17 });
const tasks = await shop.tasks({ count: 60 });
const policies = shopOfflinePolicies(shop);

async function collect(seed: number, concurrency = 1): Promise<TrajectoryRecord[]> {
  const records: TrajectoryRecord[] = [];
  const plan = { expert: 20, noisy: 20, random: 20 };
  for await (const record of generateOfflineTrajectories({ env: shop, tasks, policies, plan, seed, concurrency })) {
    records.push(record);
  }
  return records;
}

describe('generateOfflineTrajectories', () => {
  it('yields the planned episodes in order with deterministic ids', async () => {
    const records = await collect(1);
    expect(records.map((r) => r.id).slice(0, 2)).toEqual(['shop-expert-000000', 'shop-expert-000001']);
    expect(records[20].id).toBe('shop-noisy-000000');
    expect(records[59].id).toBe('shop-random-000019');
    expect(records.map((r) => r.policy)).toEqual([...Array(20).fill('expert'), ...Array(20).fill('noisy'),
      ...Array(20).fill('random')]);
  });

  it('gives each episode its own task and links the transitions state to state', async () => {
    const records = await collect(1);
    expect(new Set(records.map((r) => r.task.id)).size).toBe(60);
    for (const record of records) {
      expect(TrajectoryRecordSchema.parse(record)).toEqual(record);
      expect(record.env).toBe('shop');
      expect(record.steps[0].state).toBe('page: search');
      for (let i = 1; i < record.steps.length; i++) expect(record.steps[i].state).toBe(record.steps[i - 1].nextState);
      expect(record.steps.at(-1)!.done).toBe(true);
      expect(record.finalReward).toBe(record.steps.at(-1)!.reward);
      expect(record.success).toBe(record.finalReward === 1);
      expect(record.steps[0].admissibleActions?.length).toBeGreaterThan(0);
    }
  });

  it('is the same for the same seed, at any concurrency, and differs for another seed', async () => {
    const first = await collect(1);
    expect(await collect(1, 4)).toEqual(first);
    const other = await collect(2);
    const actions = (rs: TrajectoryRecord[]) => rs.slice(20).map((r) => r.steps.map((s) => s.action));
    expect(actions(other)).not.toEqual(actions(first));
  });

  it('refuses a plan with no policy for a kind it asks for, naming the kind', async () => {
    const run = generateOfflineTrajectories({ env: shop, tasks, policies: { expert: policies.expert },
      plan: { expert: 1, random: 2 }, seed: 1 });
    await expect(run.next()).rejects.toThrow(InvalidInputError);
    const again = generateOfflineTrajectories({ env: shop, tasks, policies: {}, plan: { random: 2 }, seed: 1 });
    await expect(again.next()).rejects.toThrow(/random/);
  });
});

describe('parseTrajectoryJsonl', () => {
  it('reads back what toJsonl writes', async () => {
    const records = (await collect(3)).slice(0, 5);
    const parsed = parseTrajectoryJsonl(toJsonl(records));
    expect(parsed).toEqual({ records, malformed: [] });
  });

  it('reports each malformed line with its source, line number and record id, keeping the good ones', async () => {
    // Prepare: good records around broken ones
    const [good1, good2, good3] = (await collect(3)).slice(0, 3);
    const lines = [
      JSON.stringify(good1),
      '{"id": "shop-expert-000777", "env": "shop"',                      // truncated JSON
      JSON.stringify({ ...good2, id: 'shop-noisy-000005', success: 'yes' }), // wrong type
      '',
      JSON.stringify({ ...good3, steps: [] }),                            // no steps
      JSON.stringify(good2),
    ];
    // Act
    const { records, malformed } = parseTrajectoryJsonl(lines.join('\n'), { source: 'offline/part-0001.jsonl' });
    // Assess
    expect(records.map((r) => r.id)).toEqual([good1.id, good2.id]);
    const source = 'offline/part-0001.jsonl';
    expect(malformed).toEqual([
      { source, line: 2, id: undefined, message: expect.stringMatching(/^not JSON/) },
      { source, line: 3, id: 'shop-noisy-000005', message: expect.stringMatching(/^success:/) },
      { source, line: 5, id: good3.id, message: expect.stringMatching(/^steps:/) },
    ]);
  });

  it('reports a line that is JSON but not an object', () => {
    const { malformed } = parseTrajectoryJsonl('42\n');
    expect(malformed).toEqual([
      { source: undefined, line: 1, id: undefined, message: expect.stringContaining('(record)') },
    ]);
  });
});
