import { parseAgentGymSpec } from './agentgym/spec.ts';
import type { SessionRanges } from './agentgym/profiles/index.ts';
import { environmentPlugin } from './environment-plugins.ts';

/**
 * The built-in shop's task ranges: any index is a task (goals are drawn from the catalog), so offline data starts at
 * 0 and held-out checks and evaluation start far above it.
 */
const SHOP_RANGES: SessionRanges = {
  offline: { start: 0, end: 1_000_000 },
  heldOut: { start: 1_000_000, end: 2_000_000 },
  evaluation: { start: 1_000_000, end: 2_000_000 },
};

/**
 * The default task ranges of the environment a spec names: the shop's, or the AgentGym profile's (ranges that exist
 * on the real server, e.g. WebShop's 0–499 test goals for evaluation).
 *
 * @example
 * defaultTaskRanges('http://localhost:36001').evaluation; // { start: 0, end: 500 }
 */
export function defaultTaskRanges(spec: string): SessionRanges {
  if (spec.trim() === 'shop') return SHOP_RANGES;
  return environmentPlugin(spec)?.ranges ?? parseAgentGymSpec(spec).profile.ranges;
}
