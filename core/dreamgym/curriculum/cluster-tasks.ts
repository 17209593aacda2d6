import type { Rng } from '../../random.ts';
import type { TextEmbedder } from '../../llm/embeddings.ts';
import type { Task } from '../../env/environment.ts';

/**
 * PPO's grouping in DreamGym: tasks clustered by a semantic embedding of their instructions (spherical k-means,
 * k-means++ seeding), so a cluster's rollouts stand in for GRPO's group when valuing tasks.
 *
 * @example
 * const clusterOf = await clusterTasks(tasks, embedder, 8, rng); // task id → cluster index
 */
export async function clusterTasks(
  tasks: readonly Task[],
  embedder: TextEmbedder,
  k: number,
  rng: Rng,
  options: { iterations?: number; restarts?: number } = {},
): Promise<Map<string, number>> {
  const vectors = await embedder.embed(tasks.map((t) => t.instruction));
  const count = Math.max(1, Math.min(k, tasks.length));
  let best = { assignment: vectors.map(() => 0), cohesion: -Infinity };
  // k-means finds local optima; the restart whose points sit closest to their centroids wins.
  for (let restart = 0; restart < (options.restarts ?? 5); restart++) {
    const run = kMeans(vectors, count, rng.fork(restart), options.iterations ?? 20);
    if (run.cohesion > best.cohesion + 1e-9) best = run;
  }
  return new Map(tasks.map((t, i) => [t.id, best.assignment[i]]));
}

function kMeans(vectors: readonly Float32Array[], k: number, rng: Rng, iterations: number) {
  const centroids = seedCentroids(vectors, k, rng);
  let assignment = vectors.map(() => 0);
  for (let round = 0; round < iterations; round++) {
    const next = vectors.map((v) => nearest(v, centroids));
    const moved = next.some((c, i) => c !== assignment[i]);
    assignment = next;
    for (let c = 0; c < centroids.length; c++) {
      const members = vectors.filter((_, i) => assignment[i] === c);
      if (members.length > 0) centroids[c] = normalised(mean(members));
    }
    if (!moved && round > 0) break;
  }
  const cohesion = vectors.reduce((sum, v, i) => sum + dot(v, centroids[assignment[i]]), 0);
  return { assignment, cohesion };
}

function seedCentroids(vectors: readonly Float32Array[], k: number, rng: Rng): Float32Array[] {
  const centroids = [vectors[rng.int(vectors.length)]];
  while (centroids.length < k) {
    const distances = vectors.map((v) => Math.min(...centroids.map((c) => 1 - dot(v, c))) ** 2);
    const total = distances.reduce((a, b) => a + b, 0);
    if (total === 0) break;
    let u = rng.next() * total;
    const index = distances.findIndex((d) => (u -= d) < 0);
    centroids.push(vectors[index === -1 ? vectors.length - 1 : index]);
  }
  return centroids;
}

function nearest(v: Float32Array, centroids: readonly Float32Array[]): number {
  let best = 0, bestScore = -Infinity;
  centroids.forEach((c, i) => {
    const s = dot(v, c);
    if (s > bestScore) [best, bestScore] = [i, s];
  });
  return best;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function mean(vectors: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(vectors[0].length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) out[i] += v[i] / vectors.length;
  return out;
}

function normalised(v: Float32Array): Float32Array {
  const norm = Math.sqrt(dot(v, v)) || 1;
  return v.map((x) => x / norm);
}
