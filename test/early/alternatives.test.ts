import { describe, expect, it } from 'vitest';
import { chooseAlternatives, sameAction } from '../../core/early/alternatives.ts';
import { createRng } from '../../core/random.ts';

const ADMISSIBLE = ['click[P1]', 'click[P2]', 'click[P3]', 'click[P4]', 'click[P5]', 'click[next >]', 'click[back to search]'];

describe('choosing alternative actions at an expert state', () => {
  it('returns K distinct actions, none of them the expert action', () => {
    for (let seed = 0; seed < 200; seed++) {
      // Prepare
      const expertAction = ADMISSIBLE[seed % ADMISSIBLE.length];

      // Act
      const chosen = chooseAlternatives({ expertAction, admissible: ADMISSIBLE, k: 4, rng: createRng(seed) });

      // Assess
      expect(chosen).toHaveLength(4);
      expect(new Set(chosen.map((c) => c.action)).size).toBe(4);
      expect(chosen.map((c) => c.action)).not.toContain(expertAction);
      for (const c of chosen) expect(ADMISSIBLE).toContain(c.action);
    }
  });

  it('uses every other admissible action when K is larger than what exists', () => {
    const chosen = chooseAlternatives({ expertAction: 'click[P1]', admissible: ['click[P1]', 'click[P2]', 'click[next >]'], k: 8, rng: createRng(1) });

    expect(chosen.map((c) => c.action).sort()).toEqual(['click[P2]', 'click[next >]']);
  });

  it('takes policy proposals first, then fills uniformly, dropping repeats and the expert action however it is spelt', () => {
    // Prepare
    const proposals = [
      { action: 'CLICK[p1]', proposer: 'policy@0.7' },
      { action: 'click[P3]', proposer: 'policy@1' },
      { action: ' click[p3] ', proposer: 'policy@1.3' },
      { action: 'search[red shirt]', proposer: 'policy@0.7' },
    ];

    // Act
    const chosen = chooseAlternatives({ expertAction: 'click[P1]', admissible: ADMISSIBLE, k: 4, rng: createRng(3), proposals });

    // Assess
    expect(chosen.slice(0, 2)).toEqual([{ action: 'click[P3]', proposer: 'policy@1' }, { action: 'search[red shirt]', proposer: 'policy@0.7' }]);
    expect(chosen.slice(2).every((c) => c.proposer === 'uniform')).toBe(true);
    const keys = chosen.map((c) => sameAction(c.action));
    expect(new Set(keys).size).toBe(4);
    expect(keys).not.toContain(sameAction('click[P1]'));
  });

  it('gives the same choice for the same seed', () => {
    const choose = () => chooseAlternatives({ expertAction: 'click[P2]', admissible: ADMISSIBLE, k: 3, rng: createRng(42) });

    expect(choose()).toEqual(choose());
  });
});
