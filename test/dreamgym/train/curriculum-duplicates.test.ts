import { describe, expect, it } from 'vitest';
import { updateCurriculum } from '../../../core/dreamgym/curriculum/update-curriculum.ts';
import type { TaskGenerator } from '../../../core/dreamgym/curriculum/task-generator.ts';
import { registerDefaultExperienceModels } from '../../../core/dreamgym/train/default-experience-models.ts';
import { storeOnlyDeps } from '../../../core/dreamgym/train/deps.ts';
import { runDreamGym } from '../../../core/dreamgym/train/run-dreamgym.ts';
import { runKeys } from '../../../core/dreamgym/train/run-keys.ts';
import { CurriculumStateSchema } from '../../../core/dreamgym/train/steps/curriculum.ts';
import { IterationTasksSchema } from '../../../core/dreamgym/train/steps/sample.ts';
import { DreamGymSummarySchema } from '../../../core/dreamgym/train/steps/summarize.ts';
import type { Task } from '../../../core/env/environment.ts';
import { registerEnvironmentPlugin } from '../../../core/env/environment-plugins.ts';
import { createRng } from '../../../core/random.ts';
import { FileStore } from '../../../core/store/file-store.ts';
import { getJson } from '../../../core/store/json.ts';
import { tempDir } from '../../helpers/runtime.ts';
import { environmentPlugin as line } from '../../fixtures/line-env/index.ts';
import { lineKind } from '../../fixtures/line-env/kind.ts';
import { lineTask } from '../../fixtures/line-env/world.ts';

/** Copies of goals under fresh ids: an evaluation goal (task 2000 + k) and a training goal (task k) for each seed. */
function copycat(): TaskGenerator {
  let k = 0;
  return {
    name: 'copycat',
    async propose() {
      k++;
      return [{ ...lineTask(2000 + k), id: `copy-eval-${k}` }, { ...lineTask(k), id: `copy-train-${k}` }, { id: `new-${k}`, instruction: `walk somewhere new ${k}`, goal: { start: 0, target: 9 } }];
    },
    async select(_seed, candidates, keep) {
      return candidates.slice(0, keep).map((task) => ({ task, difficulty: 1 }));
    },
  };
}

registerDefaultExperienceModels();
// The line walk, with a curriculum that ignores what it is told to exclude and copies goals
registerEnvironmentPlugin({ ...line, name: 'line-copycat', kind: { ...lineKind, name: 'line-copycat', curriculum: () => ({ generator: copycat() }) } });

describe('curriculum variations that repeat a run\'s goals', () => {
  it('are dropped before selection and counted, evaluation and training goals apart', async () => {
    const seed = lineTask(1);
    const evaluationGoals = new Set([lineTask(2001).instruction]);
    const update = await updateCurriculum({
      outcomes: [{ taskId: seed.id, rewards: [0, 1] }], tasks: new Map([[seed.id, seed]]), previousPool: [], generator: copycat(), rng: createRng(1),
      duplicateOf: (task: Task) => (evaluationGoals.has(task.instruction) ? 'evaluation' : task.instruction === lineTask(1).instruction ? 'training' : undefined),
    }, { keepPerSeed: 3 });
    expect(update.added.map((t) => t.id)).toEqual(['new-1']);
    expect(update.duplicatesDropped).toEqual({ evaluation: 1, training: 1 });
  });

  it('are never trained on in a run, and the run summary counts them', async () => {
    const store = new FileStore(await tempDir());
    const summary = DreamGymSummarySchema.parse(await runDreamGym({
      runId: 'dup', env: 'line-copycat', mode: 'synthetic', iterations: 3, groupsPerIteration: 4, rolloutsPerGroup: 4, seed: 2,
      tasks: { trainCount: 20, evalCount: 20 }, curriculum: { syntheticShare: 0.5 },
    }, storeOnlyDeps(store)));
    const keys = runKeys('dup');
    const evaluation = new Set(Array.from({ length: 20 }, (_, i) => lineTask(2000 + i).instruction));
    const dropped = { evaluation: 0, training: 0 };
    for (const iteration of [1, 2, 3]) {
      const state = await getJson(store, keys.curriculum(iteration), CurriculumStateSchema);
      expect(state.pool.filter((t) => evaluation.has(t.instruction))).toEqual([]);
      dropped.evaluation += state.duplicatesDropped.evaluation;
      dropped.training += state.duplicatesDropped.training;
      const plan = await getJson(store, keys.tasks(iteration), IterationTasksSchema);
      expect(plan.tasks.filter(({ task }) => evaluation.has(task.instruction))).toEqual([]);
    }
    expect(dropped.evaluation).toBeGreaterThan(0);
    expect(summary.curriculumDuplicatesDropped).toEqual(dropped);
    expect(summary.curriculumVariations).toBeGreaterThan(0);
  }, 120_000);
});
