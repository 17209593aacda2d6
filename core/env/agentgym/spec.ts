import { InvalidInputError } from '../../errors.ts';
import { hashSeed } from '../../random.ts';
import { AGENTGYM_PROFILES } from './profiles/index.ts';
import type { AgentGymProfile } from './profiles/index.ts';

/** What an AgentGym env spec names: the server's base URL, its profile (with any overrides) and how invalid actions go. */
export interface AgentGymSpec {
  readonly baseUrl: string;
  readonly profile: AgentGymProfile;
  /** Decide locally that an action outside the server's admissible list is invalid, without sending it. */
  readonly filterInvalid: boolean;
  /** The spec written back in canonical form: base URL, then `#` and the settings that differ from the defaults. */
  readonly canonical: string;
}

export interface AgentGymSpecSettings {
  readonly profile?: string;
  readonly idField?: string;
  /** JSON object; a string value `{session}` stands for the session id. */
  readonly resetBody?: string;
  readonly filterInvalid?: boolean;
}

/**
 * Reads an AgentGym env spec: `http(s)://host[:port][/path]`, optionally followed by `#` and URL-encoded settings
 * (`profile=alfworld`, `id-field=id`, `reset-body={"game":"{session}"}`, `filter-invalid=1`). The settings travel
 * inside the spec, so every dataset, run and workflow that names the server also names how it is spoken to.
 *
 * @example
 * parseAgentGymSpec('http://localhost:36002#profile=alfworld').profile.idField; // 'id'
 */
export function parseAgentGymSpec(spec: string): AgentGymSpec {
  const text = spec.trim();
  const hash = text.indexOf('#');
  const base = hash === -1 ? text : text.slice(0, hash);
  const params = new URLSearchParams(hash === -1 ? '' : text.slice(hash + 1));
  const known = new Set(['profile', 'id-field', 'reset-body', 'filter-invalid']);
  for (const key of params.keys()) {
    if (!known.has(key)) throw new InvalidInputError(`env spec "${spec}" has an unknown setting "${key}" (known: ${[...known].join(', ')})`);
  }
  return buildSpec(normalizeBaseUrl(base), {
    profile: params.get('profile') ?? undefined,
    idField: params.get('id-field') ?? undefined,
    resetBody: params.get('reset-body') ?? undefined,
    filterInvalid: params.has('filter-invalid') ? parseFlag(params.get('filter-invalid')!, spec) : undefined,
  });
}

/**
 * The env spec for a base URL and CLI settings (`--profile`, `--id-field`, `--reset-body`, `--filter-invalid`), merged
 * over any settings the URL already carries.
 */
export function withAgentGymSettings(spec: string, settings: AgentGymSpecSettings): string {
  const parsed = parseAgentGymSpec(spec);
  const current = settingsOf(parsed);
  return buildSpec(parsed.baseUrl, {
    profile: settings.profile ?? current.profile,
    idField: settings.idField ?? current.idField,
    resetBody: settings.resetBody ?? current.resetBody,
    filterInvalid: settings.filterInvalid ?? current.filterInvalid,
  }).canonical;
}

/** The key ids derived from one server start with: the profile name and a hash of the canonical spec, e.g. `webshop-k3j9x0`. */
export function agentGymDataKey(spec: AgentGymSpec): string {
  return `${spec.profile.name}-${(hashSeed(spec.canonical) >>> 0).toString(36)}`;
}

function buildSpec(baseUrl: string, settings: AgentGymSpecSettings): AgentGymSpec {
  const name = settings.profile ?? 'webshop';
  const base = AGENTGYM_PROFILES[name];
  if (!base) {
    throw new InvalidInputError(`unknown AgentGym profile "${name}" (known: ${Object.keys(AGENTGYM_PROFILES).join(', ')})`);
  }
  const profile: AgentGymProfile = {
    ...base,
    idField: settings.idField ?? base.idField,
    resetBody: settings.resetBody === undefined ? base.resetBody : parseResetBody(settings.resetBody),
  };
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(profile.idField)) {
    throw new InvalidInputError(`id field "${profile.idField}" must be a plain field name`);
  }
  const filterInvalid = settings.filterInvalid ?? false;
  const params = new URLSearchParams();
  if (name !== 'webshop') params.set('profile', name);
  if (profile.idField !== base.idField) params.set('id-field', profile.idField);
  if (settings.resetBody !== undefined) params.set('reset-body', JSON.stringify(profile.resetBody));
  if (filterInvalid) params.set('filter-invalid', '1');
  const fragment = params.toString();
  return { baseUrl, profile, filterInvalid, canonical: fragment === '' ? baseUrl : `${baseUrl}#${fragment}` };
}

function settingsOf(spec: AgentGymSpec): AgentGymSpecSettings {
  const params = new URLSearchParams(spec.canonical.includes('#') ? spec.canonical.slice(spec.canonical.indexOf('#') + 1) : '');
  return {
    profile: spec.profile.name,
    idField: params.get('id-field') ?? undefined,
    resetBody: params.get('reset-body') ?? undefined,
    filterInvalid: spec.filterInvalid,
  };
}

function parseResetBody(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidInputError(`reset body ${JSON.stringify(text)} is not JSON`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInputError(`reset body ${JSON.stringify(text)} must be a JSON object, e.g. {"game":"{session}","world_type":"Text"}`);
  }
  return value as Record<string, unknown>;
}

function parseFlag(value: string, spec: string): boolean {
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw new InvalidInputError(`env spec "${spec}": filter-invalid must be 1 or 0, got "${value}"`);
}

function normalizeBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidInputError(`AgentGym base URL "${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidInputError(`AgentGym base URL "${text}" must be http or https`);
  }
  return url.href.replace(/\/+$/, '');
}
