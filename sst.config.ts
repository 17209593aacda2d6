/// <reference path="./.sst/platform/config.d.ts" />

/**
 * Reverie on AWS: wiring only. Each concern lives in infra/<concern>.ts.
 * Deploy: `npx sst secret set ApiToken <16+ chars>` then `npx sst deploy --stage <name>`.
 */
export default $config({
  app(input) {
    return {
      name: 'reverie',
      removal: input?.stage === 'production' ? 'retain' : 'remove',
      protect: input?.stage === 'production',
      home: 'aws',
    };
  },
  async run() {
    const { bucket } = await import('./infra/storage.ts');
    const { queues } = await import('./infra/queues.ts');
    const { taskFunctions } = await import('./infra/functions.ts');
    const { stateMachines } = await import('./infra/workflows.ts');
    const { api } = await import('./infra/api.ts');
    await import('./infra/schedules.ts');
    return {
      bucket: bucket.name,
      api: api.url,
      functions: Object.keys(taskFunctions).length,
      stateMachines: $resolve(Object.fromEntries(Object.entries(stateMachines).map(([name, sm]) => [name, sm.arn]))),
      trainerQueue: queues.trainer.url,
    };
  },
});
