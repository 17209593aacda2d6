import { loadEnvironmentPlugins } from '../core/env/environment-plugins.ts';

let loading: Promise<void> | undefined;

/**
 * Loads the environment plug-ins REVERIE_ENV_PLUGINS names, once per process (a Lambda's cold start), as the CLI
 * does: paths relative to the function's package root (`LAMBDA_TASK_ROOT`, where the deploy puts `env-plugins/`),
 * or the working directory elsewhere. A plug-in that does not load fails every invocation with the same
 * InvalidInputError naming it. Nothing is loaded when the variable is unset.
 *
 * @example
 * await loadLambdaPlugins(); // REVERIE_ENV_PLUGINS=env-plugins/grid.mjs → `env: "grid"` works in this function
 */
export function loadLambdaPlugins(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  loading ??= loadEnvironmentPlugins(env.REVERIE_ENV_PLUGINS, env.LAMBDA_TASK_ROOT ?? process.cwd());
  return loading;
}
