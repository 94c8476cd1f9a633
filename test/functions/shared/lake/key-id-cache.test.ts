import { describe, expect, it } from 'vitest';
import { KeyIdCache } from '../../../../functions/shared/lake/key-id-cache.js';

describe('Class: KeyIdCache', () => {
  it('finds every id set, across growth, for any 32-bit key', () => {
    // Prepare
    const cache = new KeyIdCache();
    const keys = [...Array.from({ length: 5000 }, (_, i) => (i * 2654435761) | 0), 7, 255, 256];

    // Act
    keys.forEach((key, id) => {
      cache.set(key, id);
    });

    // Assess
    expect(keys.map((key) => cache.get(key))).toEqual(keys.map((_, id) => id));
    expect(cache.get(12345)).toBe(-1);
  });

  it('forgets every key on clear', () => {
    // Prepare
    const cache = new KeyIdCache();
    cache.set(0, 3);
    cache.set(-1, 4);
    cache.set(300, 5);

    // Act
    cache.clear();

    // Assess
    expect([cache.get(0), cache.get(-1), cache.get(300)]).toEqual([-1, -1, -1]);
  });
});
