// Every endpoint group and where it is mounted; functions/api.ts serves them all.
import { balanceRouter } from "./balance";
import { ledgerPayoutsRouter } from "./ledger-payouts";
import { payeesRouter } from "./payees";
import { payoutUserRouter } from "./payout-user";
import { payoutUsersRouter } from "./payout-users";

export const allRouters = {
  "/api/v1/payees": payeesRouter,
  "/api/v1/payout-users": payoutUsersRouter,
  "/api/v1/payout-user": payoutUserRouter,
  "/api/v1/balance": balanceRouter,
  "/v1/businesses": ledgerPayoutsRouter,
};
