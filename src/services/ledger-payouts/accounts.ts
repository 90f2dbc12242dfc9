import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { ApiError } from "../../http/errors";
import { newId } from "../../lib/ids";

/**
 * The chart every business starts with. It is created on first use, inside the statement that
 * first needs it (INSERT ... ON CONFLICT DO NOTHING on (business_id, stable_name)), rather than
 * in createBusiness: businesses made before this group existed get it too, and no other
 * group's write path pays for it.
 */
export const defaultAccounts = [
  {
    stable_name: "UNDEPOSITED_FUNDS",
    name: "Undeposited Funds",
    account_number: "1020",
    type: "Asset",
    subtype: "Current Assets",
    normal: "DEBIT",
  },
  {
    stable_name: "CURRENT_ASSETS",
    name: "Current Assets",
    account_number: "1000",
    type: "Asset",
    subtype: "Current Assets",
    normal: "DEBIT",
  },
  { stable_name: "CASH", name: "Cash", account_number: "1010", type: "Asset", subtype: "Cash", normal: "DEBIT" },
  {
    stable_name: "ACCOUNTS_RECEIVABLE",
    name: "Accounts Receivable",
    account_number: "1200",
    type: "Asset",
    subtype: "Accounts Receivable",
    normal: "DEBIT",
  },
  {
    stable_name: "PAYMENT_PROCESSING_FEES",
    name: "Payment Processing Fees",
    account_number: "6100",
    type: "Expense",
    subtype: "Operating Expenses",
    normal: "DEBIT",
  },
  { stable_name: "REFUNDS", name: "Refunds", account_number: "4100", type: "Revenue", subtype: "Refunds", normal: "DEBIT" },
] as const;

export type StableName = (typeof defaultAccounts)[number]["stable_name"];

export interface AccountRow {
  id: string;
  name: string;
  account_number: string | null;
  stable_name: string | null;
  account_type: string;
  account_subtype: string;
  normal_balance: "DEBIT" | "CREDIT";
}

/** The page's account object. */
export function renderAccount(a: AccountRow) {
  return {
    id: { type: "AccountId" as const, id: a.id },
    name: a.name,
    account_number: a.account_number,
    stable_name: a.stable_name ? { type: "StableName" as const, stable_name: a.stable_name } : null,
    account_type: { display_name: a.account_type },
    account_subtype: { display_name: a.account_subtype },
  };
}
export type Account = ReturnType<typeof renderAccount>;

const accountColumns = sql.raw("id, name, account_number, stable_name, account_type, account_subtype, normal_balance");

/**
 * CTEs (to follow WITH) ending in `accounts`: every account of the business, the default chart
 * created first if it is missing. A SELECT cannot see its own statement's inserts (one
 * snapshot), hence the UNION with what `created` returned.
 */
export function ensuredAccountsCtes(businessId: string): SQL {
  const rows = defaultAccounts.map(
    (a) => sql`(${newId("ledgerAccount")}, ${a.stable_name}, ${a.name}, ${a.account_number}, ${a.type}, ${a.subtype}, ${a.normal})`,
  );
  return sql`
    defaults (id, stable_name, name, account_number, account_type, account_subtype, normal_balance) AS (
      VALUES ${sql.join(rows, sql`, `)}
    ), created AS (
      INSERT INTO ledger_accounts (id, business_id, stable_name, name, account_number, account_type, account_subtype, normal_balance)
      SELECT id, ${businessId}, stable_name, name, account_number, account_type, account_subtype, normal_balance FROM defaults
      ON CONFLICT (business_id, stable_name) DO NOTHING
      RETURNING ${accountColumns}
    ), accounts AS (
      SELECT ${accountColumns} FROM ledger_accounts WHERE business_id = ${businessId}
      UNION ALL
      SELECT ${accountColumns} FROM created
    )`;
}

export function ensuredAccountsQuery(businessId: string): SQL {
  return sql`WITH ${ensuredAccountsCtes(businessId)} SELECT * FROM accounts`;
}

export async function ensureAccounts(db: Db, businessId: string): Promise<AccountRow[]> {
  const { rows } = await db.execute<AccountRow & Record<string, unknown>>(ensuredAccountsQuery(businessId));
  return rows;
}

/** Accounts by id and by stable name, for resolving identifiers. */
export class Chart {
  readonly byId = new Map<string, AccountRow>();
  readonly byStableName = new Map<string, AccountRow>();
  constructor(readonly rows: AccountRow[]) {
    for (const a of rows) {
      this.byId.set(a.id, a);
      if (a.stable_name) this.byStableName.set(a.stable_name, a);
    }
  }
  /**
   * A default account is missing only when another request was creating the business's chart in
   * the same instant: its insert committed after this statement's snapshot was taken, so this
   * statement neither saw the rows nor could insert them. The next statement sees them, and every
   * operation that reads the chart is safe to repeat (reads, upserts, idempotent deletes), so the
   * answer is a retryable 503, never a 500.
   */
  stable(name: StableName): AccountRow {
    const a = this.byStableName.get(name);
    if (!a) {
      throw new ApiError(
        "service_unavailable",
        "The business's ledger accounts were being created by another request at the same time; retry the request.",
      );
    }
    return a;
  }
  resolve(ident: AccountIdentifier): AccountRow | undefined {
    return ident.type === "AccountId" ? this.byId.get(ident.id) : this.byStableName.get(ident.stable_name);
  }
}

export type AccountIdentifier = { type: "AccountId"; id: string } | { type: "StableName"; stable_name: string };

async function balanceRows(db: Db, businessId: string) {
  const { rows } = await db.execute<AccountRow & { debits: string; credits: string } & Record<string, unknown>>(sql`
    WITH ${ensuredAccountsCtes(businessId)},
    totals AS (
      SELECT account_id,
             coalesce(sum(amount) FILTER (WHERE direction = 'DEBIT'), 0) AS debits,
             coalesce(sum(amount) FILTER (WHERE direction = 'CREDIT'), 0) AS credits
      FROM journal_lines WHERE business_id = ${businessId} GROUP BY account_id
    )
    SELECT a.*, coalesce(t.debits, 0)::text AS debits, coalesce(t.credits, 0)::text AS credits
    FROM accounts a LEFT JOIN totals t ON t.account_id = a.id
    ORDER BY a.account_number COLLATE "C", a.id COLLATE "C"`);
  return rows;
}

/** Every account with its totals; `balance` is signed by the account's normal side. */
export async function accountBalances(db: Db, businessId: string) {
  let rows = await balanceRows(db, businessId);
  // Another request created the chart after this statement's snapshot was taken (see Chart.stable):
  // the next statement sees it, so ask once more rather than answer a chart without its defaults.
  if (!defaultAccounts.every((d) => rows.some((r) => r.stable_name === d.stable_name))) rows = await balanceRows(db, businessId);
  return rows.map((r) => {
    const debits = Number(r.debits);
    const credits = Number(r.credits);
    return {
      ...renderAccount(r),
      normal_balance: r.normal_balance,
      debits,
      credits,
      balance: r.normal_balance === "DEBIT" ? debits - credits : credits - debits,
    };
  });
}
