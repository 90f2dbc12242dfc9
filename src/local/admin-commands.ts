import { parseArgs } from "node:util";
import { setKeyRateLimit } from "../services/api-key-rate-limits";
import { allScopes, createApiKey, revokeApiKey } from "../services/api-keys";
import { type Business, createBusiness, fundBusiness, getBusiness, setPayoutsEnabled } from "../services/businesses";
import type { Connection } from "./connect";

export const usage = `Usage: npm run admin -- <command> [options]

  business:create --name NAME [--currency USD] [--balance CENTS] [--payouts-enabled]
                  (defaults: currency USD, balance 0, payouts disabled)
  business:show   --business BIZ_ID
  business:fund   --business BIZ_ID --amount CENTS
  payouts:enable  --business BIZ_ID
  payouts:disable --business BIZ_ID
  key:create      --business BIZ_ID --scopes all|SCOPE[,SCOPE...] [--name NAME]
  key:revoke      --key KEY_ID
  key:rate-limit  --key KEY_ID --rate PER_SECOND --burst N   (or --default: 100/s, burst 200)

Amounts are whole minor units (cents), as in the API. Currency codes: any case.
Scopes: ${allScopes.join(", ")} (\`all\`: every one of them)
The database: SQL_ENDPOINT, else DATABASE_URL (Neon or any Postgres), else the running
\`npm run dev\`, else the embedded database in .data/.`;

/** A mistake in the command line: printed on one line with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

/** The command line was fine but the command cannot be done (no such business, key): exit code 1. */
export class CommandError extends Error {}

/** The commands and the options each takes, so a stray option is named instead of ignored. */
const commands: Record<string, readonly string[]> = {
  "business:create": ["name", "currency", "balance", "payouts-enabled"],
  "business:show": ["business"],
  "business:fund": ["business", "amount"],
  "payouts:enable": ["business"],
  "payouts:disable": ["business"],
  "key:create": ["business", "scopes", "name"],
  "key:revoke": ["key"],
  "key:rate-limit": ["key", "rate", "burst", "default"],
};

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

/** The API's own bound on one funding (POST /api/v1/balance/fund). */
const maxCents = 10_000_000_000_000n;

function cents(value: string, flag: string, min: bigint): bigint {
  const what = `--${flag} must be a whole number of cents (minor units) from ${min} to ${maxCents}`;
  if (/^[+-]?\d+\.\d*$/.test(value)) {
    throw new UsageError(`${what}, not ${JSON.stringify(value)}: amounts are in cents, so 12.50 is 1250`);
  }
  if (!/^[+-]?\d+$/.test(value)) throw new UsageError(`${what}, not ${JSON.stringify(value)}`);
  const amount = BigInt(value);
  if (amount < min) throw new UsageError(`${what}, not ${value}${amount < 0n ? " (negative)" : ""}`);
  if (amount > maxCents) throw new UsageError(`${what}, not ${value} (too large)`);
  return amount;
}

function currencyOf(value: string | undefined): string {
  const currency = (value ?? "USD").trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency))
    throw new UsageError(`--currency must be a 3-letter ISO 4217 code such as USD, not ${JSON.stringify(value)}`);
  return currency;
}

function scopesOf(value: string): string[] {
  if (value === "all") return [...allScopes];
  const scopes = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scopes.filter((s) => !(allScopes as readonly string[]).includes(s));
  if (!scopes.length) throw new UsageError(`--scopes needs at least one scope, or all`);
  if (unknown.length) throw new UsageError(`unknown scope(s): ${unknown.join(", ")} (scopes: ${allScopes.join(", ")}, or all)`);
  return scopes;
}

/** A business as the API shows its balance (GET /api/v1/balance): `balance` in integer cents beside `currency`. */
const show = (b: Business) => ({
  id: b.id,
  name: b.name,
  balance: Number(b.payoutBalance),
  currency: b.currency,
  payouts_enabled: b.payoutsEnabled,
});

/** `--amount -5` is read by parseArgs as a missing value followed by an option; make it `--amount=-5` so it is judged as an amount. */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith("--") ? arg.slice(2) : undefined;
    if (
      name &&
      !name.includes("=") &&
      options[name as keyof typeof options]?.type === "string" &&
      next !== undefined &&
      /^-\d/.test(next)
    ) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** Parses and checks arguments before anything touches a database. */
export function parseCommand(argv: string[]): { command: string; values: Values } {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv), options, allowPositionals: true, strict: true });
  } catch (err) {
    // parseArgs explains itself over several lines; the first says what is wrong.
    throw new UsageError((err as Error).message.split("\n")[0]!);
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help) throw new UsageError("");
  if (!command) throw new UsageError("no command given");
  const allowed = commands[command];
  if (!allowed) throw new UsageError(`unknown command: ${command} (commands: ${Object.keys(commands).join(", ")})`);
  if (rest.length) throw new UsageError(`unexpected argument: ${rest[0]}`);
  const stray = Object.keys(parsed.values).filter((name) => !allowed.includes(name));
  if (stray.length)
    throw new UsageError(
      `${command} takes no ${stray.map((n) => `--${n}`).join(", ")} (it takes ${allowed.map((n) => `--${n}`).join(", ")})`,
    );
  return { command, values: parsed.values };
}

/** Runs one admin command and returns what to print (JSON). */
export async function runCommand(command: string, values: Values, conn: Connection): Promise<unknown> {
  const { db } = conn;
  const businessOrFail = (b: Business | undefined, id: string) => {
    if (!b) throw new CommandError(`no business ${id}`);
    return show(b);
  };
  switch (command) {
    case "business:create": {
      const input = {
        name: required(values, "name"),
        currency: currencyOf(values.currency),
        payoutBalance: cents(values.balance ?? "0", "balance", 0n),
        payoutsEnabled: values["payouts-enabled"] ?? false,
      };
      const defaulted = [
        values.currency === undefined && "currency USD",
        values.balance === undefined && "balance 0 (add funds with business:fund)",
        values["payouts-enabled"] === undefined && "payouts disabled (turn them on with payouts:enable)",
      ].filter(Boolean);
      const b = await createBusiness(db, input);
      return { ...show(b), ...(defaulted.length ? { defaults: `Not given, so: ${defaulted.join(", ")}.` } : {}) };
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
      if (!(await getBusiness(db, id))) throw new CommandError(`no business ${id}`);
      const key = await createApiKey(db, id, scopes, values.name ?? "");
      return { id: key.id, business_id: id, scopes: key.scopes, secret: key.secret, note: "The secret is shown only now." };
    }
    case "key:revoke": {
      const id = required(values, "key");
      if (!(await revokeApiKey(db, id))) throw new CommandError(`no active key ${id} (it does not exist or is already revoked)`);
      return { id, revoked: true };
    }
    case "key:rate-limit":
      return keyRateLimit(values, conn);
    default:
      throw new UsageError(`unknown command: ${command} (commands: ${Object.keys(commands).join(", ")})`);
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
  return {
    id,
    rate_limit: limit ?? { rate: 100, burst: 200, default: true },
    note: "Workers apply it once their cached key lookup expires.",
  };
}
