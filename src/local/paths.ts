import { join } from "node:path";

/**
 * Where local state lives: `.data/` in the project, or DISBURSE_DATA_DIR (tests point it at a
 * temporary directory so they never touch a developer's database).
 */
export function dataPaths(env: NodeJS.ProcessEnv = process.env) {
  const root = env.DISBURSE_DATA_DIR || ".data";
  return {
    root,
    /** The embedded PGlite database (its lock is `pglite.lock` beside it). */
    pglite: join(root, "pglite"),
    /** The demo business and key `npm run dev` prints. */
    demo: join(root, "demo.json"),
    /** The HMAC key of payout user hashes: it must outlive restarts. */
    hashSecret: join(root, "payout-hash-secret"),
    /** Written by a running `npm run dev`: its pid and URLs, so the admin CLI finds it on any port. */
    devServer: join(root, "dev-server.json"),
  };
}
