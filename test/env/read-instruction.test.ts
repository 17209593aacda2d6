import { describe, expect, it } from 'vitest';
import { searchCandidates } from '../../core/env/shop/actions.ts';
import { readShopInstruction } from '../../core/env/shop/instruction.ts';
import { createShopEnvironment } from '../../core/env/shop/shop-environment.ts';
import { PRODUCT_TYPES } from '../../core/env/shop/product-types.ts';
import { createShopStateReader } from '../../core/env/shop/state-reader.ts';

const shop = createShopEnvironment({ seed: 3 });
const types = new Set(PRODUCT_TYPES.map((t) => t.name));

describe('reading a shop goal back from its instruction', () => {
  it('recovers every generated goal from the instruction text alone, given the product-type vocabulary', () => {
    for (let i = 0; i < 300; i++) {
      const task = shop.task(i);
      expect(readShopInstruction(task.instruction, types)).toEqual(task.goal);
    }
  });

  it('offers on a synthetic search page the searches the real environment offers, without the hidden goal', async () => {
    const reader = createShopStateReader(types);
    for (let i = 0; i < 50; i++) {
      const task = shop.task(i);
      const session = await shop.open();
      const observation = await session.reset(task);
      const reading = reader.read(observation.text, { id: task.id, instruction: task.instruction });
      expect(reading).toMatchObject({ readable: true, admissibleActions: await session.admissibleActions() });
    }
  });

  it('answers undefined for text not in the instruction format', () => {
    expect(readShopInstruction('buy something nice', types)).toBeUndefined();
    expect(readShopInstruction('find me red shoes with colour red, and price lower than 3.00 dollars', types)).toBeUndefined();
    expect(searchCandidates(readShopInstruction('find me red running shoes, and price lower than 30.00 dollars', types)!))
      .toContain('search[red running shoes]');
  });
});
