import { serve } from '@hono/node-server';
import { parseArgs } from 'node:util';
import { createApp } from '../../functions/api/app.ts';
import { intOption, type Command } from '../context.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the HTTP API (and dashboard) on this machine',
  usage: 'reverie serve [--port N (0: any free port)] [--host H] [--open]',
  async run(args, context) {
    const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' }, open: { type: 'boolean', default: false } } });
    const runtime = context.runtime();
    if (values.open) runtime.config.api.open = true;
    const port = intOption(values.port, '--port', 0, 65535) ?? runtime.config.api.port;
    const app = createApp(runtime);
    const server = serve({ fetch: app.fetch, port, hostname: values.host });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const mode = runtime.config.api.token ? 'mutating routes need the bearer token' : 'OPEN mode: no token required';
    const bound = (server.address() as { port: number } | null)?.port ?? port;
    process.stderr.write(`reverie API on http://${values.host}:${bound} (store ${runtime.store.uri}; ${mode}); dashboard at /dashboard\n`);
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
