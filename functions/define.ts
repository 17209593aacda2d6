import type { z } from 'zod';
import { getRuntime, type Runtime } from '../adapters/runtime.ts';
import { InvalidInputError } from '../core/errors.ts';
import { formatIssue } from '../core/store/json.ts';
import { loadLambdaPlugins } from './env-plugins.ts';

/**
 * A function behind a Task state: one zod schema for its event, one core call. `handler` is the Lambda entry;
 * `run` is what the local engine calls in-process with its own runtime; `handler` first loads the environment
 * plug-ins of the deploy (REVERIE_ENV_PLUGINS) once per cold start.
 */
export interface ReverieFunction<I, O> {
  readonly name: string;
  readonly input: z.ZodType<I>;
  run(event: unknown, runtime: Runtime): Promise<O>;
  handler(event: unknown): Promise<O>;
}

/**
 * @example
 * export const fn = defineFunction('store-verify-batch', z.object({ batch: z.string() }), ({ batch }, rt) =>
 *   verifyBatch(rt.store, batch));
 * export const handler = fn.handler;
 */
export function defineFunction<I, O>(
  name: string,
  input: z.ZodType<I>,
  body: (input: I, runtime: Runtime) => Promise<O>,
): ReverieFunction<I, O> {
  const run = async (event: unknown, runtime: Runtime): Promise<O> => {
    const parsed = input.safeParse(event);
    if (!parsed.success) {
      throw new InvalidInputError(`${name}: invalid input: ${parsed.error.issues.slice(0, 5).map(formatIssue).join('; ')}`);
    }
    return body(parsed.data, runtime);
  };
  // The Lambda entry loads the deploy's environment plug-ins first; the local engine's process has loaded its own
  const handler = async (event: unknown): Promise<O> => {
    await loadLambdaPlugins();
    return run(event, getRuntime());
  };
  return { name, input, run, handler };
}
