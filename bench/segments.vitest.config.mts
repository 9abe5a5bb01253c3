// The segments bench's vitest config: the project's own (workerd, real D1, migrations), with only the bench file.
import { fileURLToPath } from 'node:url';
import base from '../vitest.config';

export default async (env: Parameters<Extract<typeof base, (...args: never[]) => unknown>>[0]) => {
  const config = await (base as (e: typeof env) => Promise<Record<string, unknown> & { test: Record<string, unknown> }>)(env);
  return { ...config, root: fileURLToPath(new URL('..', import.meta.url)), test: { ...config.test, include: ['worker/predictions/scale.bench-test.ts'], testTimeout: 1_800_000, hookTimeout: 1_800_000 } };
};
