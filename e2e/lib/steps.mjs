// A story told in steps: each step is its own test, in order, and once one
// fails the rest are skipped rather than failing for the same reason.

import { test } from 'node:test';

export function story() {
  let broken = null;
  return function step(name, fn) {
    test(name, async (t) => {
      if (broken) {
        t.skip(`skipped: an earlier step failed (${broken})`);
        return;
      }
      try {
        await fn(t);
      } catch (e) {
        broken = name;
        throw e;
      }
    });
  };
}
