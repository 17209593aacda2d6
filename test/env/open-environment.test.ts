import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.ts';
import { openEnvironment } from '../../core/env/open-environment.ts';
import { asShopEnvironment } from '../../core/env/shop/shop-environment.ts';

describe('openEnvironment', () => {
  it('opens the built-in shop for "shop", with its options', () => {
    const env = openEnvironment('shop', { shop: { seed: 3, catalogSize: 200 } });
    expect(env.label).toBe('shop');
    expect(env.spec).toBe('shop');
    expect(asShopEnvironment(env)?.catalog.size).toBe(200);
  });

  it('opens an AgentGym client for an http(s) base URL, without a trailing slash', () => {
    const env = openEnvironment('http://localhost:36001/');
    expect(env.label).toBe('agentgym');
    expect(env.spec).toBe('http://localhost:36001');
    expect(openEnvironment('https://envs.example.org/webshop').spec).toBe('https://envs.example.org/webshop');
  });

  for (const value of ['webshop', 'ftp://host/env', '', 'http://']) {
    it(`refuses ${JSON.stringify(value)} with an InvalidInputError naming it`, () => {
      expect(() => openEnvironment(value)).toThrow(InvalidInputError);
      expect(() => openEnvironment(value)).toThrow(`"${value}"`);
    });
  }
});
