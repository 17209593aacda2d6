import { alfworldProfile } from './alfworld.ts';
import { babyaiProfile } from './babyai.ts';
import type { AgentGymProfile } from './profile.ts';
import { sciworldProfile } from './sciworld.ts';
import { webshopProfile } from './webshop.ts';

export { ActionSource, resetBody } from './profile.ts';
export type { AgentGymProfile, SessionRange, SessionRanges, StateOffer } from './profile.ts';
export { alfworldProfile, babyaiProfile, sciworldProfile, webshopProfile };

/** The profiles by name; `webshop` is the default. */
export const AGENTGYM_PROFILES: Readonly<Record<string, AgentGymProfile>> = {
  webshop: webshopProfile,
  alfworld: alfworldProfile,
  sciworld: sciworldProfile,
  babyai: babyaiProfile,
};
