import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Db } from "../db/client";
import { sha256Hex } from "../lib/digest";
import { allScopes, createApiKey, findActiveKey, setApiKeyScopes } from "../services/api-keys";
import { createBusiness, getBusiness } from "../services/businesses";

export interface Demo {
  businessId: string;
  keyId: string;
  secret: string;
}

export const demoFile = ".data/demo.json";
export const demoBalance = 100_000_000n;

/**
 * The demo business and its all-scopes key, kept in .data/demo.json so that `npm run dev`
 * prints the same working key on every start. If the file is missing or its key no longer
 * works (another database, a revoked key), a fresh business and key are made. A kept key is
 * brought up to every scope there is, so scopes added since `.data/` was made are on it too.
 */
export async function ensureDemo(db: Db, file = demoFile): Promise<Demo> {
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as Demo;
    const key = await findActiveKey(db, await sha256Hex(saved.secret));
    if (key && key.keyId === saved.keyId && (await getBusiness(db, saved.businessId))) {
      const missing = allScopes.filter((scope) => !key.scopes.includes(scope));
      if (missing.length || key.scopes.length !== allScopes.length) await setApiKeyScopes(db, key.keyId, allScopes);
      return saved;
    }
  }
  const business = await createBusiness(db, { name: "Demo business", payoutBalance: demoBalance, payoutsEnabled: true });
  const key = await createApiKey(db, business.id, [...allScopes], "demo");
  const demo = { businessId: business.id, keyId: key.id, secret: key.secret };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
  return demo;
}
