// Every table of the product; drizzle-kit reads this file to generate migrations.
export * from "./businesses";
export * from "./api-keys";
export * from "./payees";
export * from "./payout-users";
export * from "./idempotency-keys";
export * from "./payouts";
export * from "./payout-requests";
export * from "./ledger-payouts";
