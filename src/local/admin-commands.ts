import { parseArgs } from "node:util";
import { allScopes, createApiKey, revokeApiKey } from "../services/api-keys";
import { setKeyRateLimit } from "../services/api-key-rate-limits";
import { createBusiness, fundBusiness, getBusiness, setPayoutsEnabled, type Business } from "../services/businesses";
import type { Connection } from "./connect";

export const usage = `Usage: npm run admin -- <command> [options]

  business:create --name NAME [--currency USD] [--balance CENTS] [--payouts-enabled]
  business:show   --business BIZ_ID
  business:fund   --business BIZ_ID --amount CENTS
  payouts:enable  --business BIZ_ID
  payouts:disable --business BIZ_ID
  key:create      --business BIZ_ID --scopes all|SCOPE[,SCOPE...] [--name NAME]
  key:revoke      --key KEY_ID
  key:rate-limit  --key KEY_ID --rate PER_SECOND --burst N   (or --default: 100/s, burst 200)

Scopes: ${allScopes.join(", ")}
The database: SQL_ENDPOINT, else DATABASE_URL (Neon or any Postgres), else the running
\`npm run dev\`, else the embedded database in .data/.`;

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

const options = {
  name: { type: "string" },
  currency: { type: "string" },
  balance: { type: "string" },
  amount: { type: "string" },
  business: { type: "string" },
  key: { type: "string" },
  scopes: { type: "string" },
  "payouts-enabled": { type: "boolean" },
  rate: { type: "string" },
  burst: { type: "string" },
  default: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>["values"];

function required(values: Values, name: "name" | "business" | "key" | "scopes" | "amount"): string {
  const value = values[name];
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

function cents(value: string, flag: string, min: bigint): bigint {
  if (!/^\d+$/.test(value) || BigInt(value) < min) throw new UsageError(`--${flag} must be a whole number of cents >= ${min}`);
  return BigInt(value);
}

function scopesOf(value: string): string[] {
  if (value === "all") return [...allScopes];
  const scopes = value.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !(allScopes as readonly string[]).includes(s));
  if (!scopes.length || unknown.length) throw new UsageError(`unknown scope(s): ${unknown.join(", ") || "(none given)"}`);
  return scopes;
}

const show = (b: Business) => ({
  id: b.id,
  name: b.name,
  payout_balance: b.payoutBalance.toString(),
  currency: b.currency,
  payouts_enabled: b.payoutsEnabled,
});

/** Parses and checks arguments before anything touches a database. */
export function parseCommand(argv: string[]): { command: string; values: Values } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help) throw new UsageError("");
  if (!command) throw new UsageError("no command given");
  if (rest.length) throw new UsageError(`unexpected argument: ${rest[0]}`);
  return { command, values: parsed.values };
}

/** Runs one admin command and returns what to print (JSON). */
export async function runCommand(command: string, values: Values, conn: Connection): Promise<unknown> {
  const { db } = conn;
  const businessOrFail = (b: Business | undefined, id: string) => {
    if (!b) throw new UsageError(`no business ${id}`);
    return show(b);
  };
  switch (command) {
    case "business:create": {
      const currency = values.currency ?? "USD";
      if (!/^[A-Z]{3}$/.test(currency)) throw new UsageError("--currency must be a 3-letter ISO code such as USD");
      const b = await createBusiness(db, {
        name: required(values, "name"),
        currency,
        payoutBalance: cents(values.balance ?? "0", "balance", 0n),
        payoutsEnabled: values["payouts-enabled"] ?? false,
      });
      return show(b);
    }
    case "business:show": {
      const id = required(values, "business");
      return businessOrFail(await getBusiness(db, id), id);
    }
    case "business:fund": {
      const id = required(values, "business");
      return businessOrFail(await fundBusiness(db, id, cents(required(values, "amount"), "amount", 1n)), id);
    }
    case "payouts:enable":
    case "payouts:disable": {
      const id = required(values, "business");
      return businessOrFail(await setPayoutsEnabled(db, id, command === "payouts:enable"), id);
    }
    case "key:create": {
      const id = required(values, "business");
      const scopes = scopesOf(required(values, "scopes"));
      if (!(await getBusiness(db, id))) throw new UsageError(`no business ${id}`);
      const key = await createApiKey(db, id, scopes, values.name ?? "");
      return { id: key.id, business_id: id, scopes: key.scopes, secret: key.secret, note: "The secret is shown only now." };
    }
    case "key:revoke": {
      const id = required(values, "key");
      if (!(await revokeApiKey(db, id))) throw new UsageError(`no active key ${id}`);
      return { id, revoked: true };
    }
    case "key:rate-limit":
      return keyRateLimit(values, conn);
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

function positiveInt(value: string | undefined, flag: string): number {
  if (!value || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1_000_000) {
    throw new UsageError(`--${flag} must be a whole number from 1 to 1000000`);
  }
  return Number(value);
}

async function keyRateLimit(values: Values, { db }: Connection) {
  const id = required(values, "key");
  if (values.default && (values.rate || values.burst)) throw new UsageError("--default takes no --rate or --burst");
  const limit = values.default ? undefined : { rate: positiveInt(values.rate, "rate"), burst: positiveInt(values.burst, "burst") };
  if (!(await setKeyRateLimit(db, id, limit))) throw new UsageError(`no active key ${id}`);
  return { id, rate_limit: limit ?? { rate: 100, burst: 200, default: true }, note: "Workers apply it once their cached key lookup expires." };
}
