import os from 'node:os';

/** One variant of a side-by-side benchmark: what it is, and one timed run of it. */
export interface RoundVariant {
  readonly what: string;
  readonly run: () => Promise<unknown>;
}

/**
 * Runs every variant once per round, in the same order, for a warm-up round and then `rounds` timed ones, so the
 * machine's load reaches each variant alike. Returns each variant's seconds per timed round and the 1-minute load
 * average after each, and prints a line per round.
 */
export async function interleavedRounds(variants: readonly RoundVariant[], rounds: number, digits = 1): Promise<{ seconds: number[][]; load: number[] }> {
  const seconds = variants.map(() => [] as number[]);
  const load: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    for (const [v, variant] of variants.entries()) {
      const t = performance.now();
      await variant.run();
      if (round > 0) seconds[v].push((performance.now() - t) / 1000);
    }
    if (round > 0) load.push(os.loadavg()[0]);
    console.log(`round ${round}${round === 0 ? ' (warm-up)' : ''}: ${variants.map((_, v) => seconds[v].at(-1)?.toFixed(digits) ?? '-').join(' s, ')} s`);
  }
  return { seconds, load };
}
