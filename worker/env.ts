import type { Store } from './db/queries/stores';

/** Hono environment: bindings come from `wrangler types` (worker-configuration.d.ts). */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    store: Store;
  };
};
