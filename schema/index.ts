// Every table of the product; drizzle-kit reads this file to generate migrations.

export * from "./api-keys";
export * from "./businesses";
export * from "./idempotency-keys";
export * from "./ledger-payouts";
export * from "./payees";
export * from "./payout-requests";
export * from "./payout-users";
export * from "./payouts";
