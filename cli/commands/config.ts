import { parseArgs } from 'node:util';
import { LLM_ROLES, LLM_VARIABLES, VARIABLES } from '../../core/config/variables.ts';
import type { Command } from '../context.ts';

export const configCommand: Command = {
  name: 'config',
  summary: 'show every configuration variable, its meaning and its current value',
  usage: 'reverie config [--json]',
  async run(args, context) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    const config = context.runtime().config;
    if (values.json) {
      context.out(JSON.stringify({ ...config, api: { ...config.api, token: config.api.token ? '***' : undefined } }, null, 2));
      return 0;
    }
    for (const [name, spec] of Object.entries(VARIABLES)) {
      const fallback = 'default' in spec ? ` (default ${spec.default})` : '';
      const current = name === 'REVERIE_API_TOKEN' ? (process.env[name] ? '***' : 'unset') : (process.env[name] ?? 'unset');
      context.out(`${name.padEnd(24)} ${spec.help}${fallback}\n${''.padEnd(24)} = ${current}`);
    }
    context.out(`\nLLM roles (${LLM_ROLES.join(', ')}): REVERIE_<ROLE>_<KEY>, e.g. REVERIE_TEACHER_BASE_URL`);
    for (const [key, spec] of Object.entries(LLM_VARIABLES)) {
      context.out(`  ${key.padEnd(16)} ${spec.help}${'default' in spec ? ` (default ${spec.default})` : ''}`);
    }
    context.out(`configured roles: ${Object.keys(config.llm).join(', ') || 'none (built-in models are used)'}`);
    return 0;
  },
};
