import { withAgentGymSettings } from '../core/env/agentgym/spec.ts';
import { UsageError } from './context.ts';

/** The flags every command naming an environment takes besides `--env`: how an AgentGym server is spoken to. */
export const ENV_OPTIONS = {
  profile: { type: 'string' },
  'id-field': { type: 'string' },
  'reset-body': { type: 'string' },
  'filter-invalid': { type: 'boolean' },
} as const;

/** Usage text of `ENV_OPTIONS`. */
export const ENV_USAGE = '[--profile webshop|alfworld|sciworld|babyai] [--id-field NAME] [--reset-body JSON] [--filter-invalid]';

/**
 * The env spec a command's flags name: `--env` itself for `shop`, or the server URL with the AgentGym settings
 * folded in after `#`, so the settings travel with the spec into datasets, runs and workflows.
 */
export function envSpecFrom(values: {
  env?: string; profile?: string; 'id-field'?: string; 'reset-body'?: string; 'filter-invalid'?: boolean;
}): string | undefined {
  const settings = {
    profile: values.profile, idField: values['id-field'], resetBody: values['reset-body'],
    filterInvalid: values['filter-invalid'] || undefined,
  };
  const given = Object.entries(settings).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (values.env === undefined || values.env.trim() === 'shop') {
    if (given.length > 0) throw new UsageError(`--${given.map(flagName).join(', --')} apply to AgentGym servers, not to "${values.env ?? 'shop'}"`);
    return values.env;
  }
  if (!/^https?:\/\//i.test(values.env.trim())) return values.env;
  return withAgentGymSettings(values.env, settings);
}

function flagName(setting: string): string {
  return { profile: 'profile', idField: 'id-field', resetBody: 'reset-body', filterInvalid: 'filter-invalid' }[setting] ?? setting;
}
