import type { Db } from "./db/client";
import type { Config, Env } from "./env";
import type { ActiveKey } from "./services/api-keys";

/** What every handler can reach through `c.var` (set by middleware in app.ts). */
export interface AppVariables {
  requestId: string;
  config: Config;
  db: Db;
  auth?: ActiveKey;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
