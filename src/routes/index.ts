// Every endpoint group and where it is mounted; functions/api.ts serves them all.
import { balanceRouter } from "./balance";
import { ledgerPayoutsRouter } from "./ledger-payouts";
import { payeesRouter } from "./payees";
import { payoutRequestsRouter } from "./payout-requests";
import { payoutUserRouter } from "./payout-user";
import { payoutUsersRouter } from "./payout-users";
import { payoutsRouter } from "./payouts";
import { webhooksRouter } from "./webhooks";

export const allRouters = {
  "/api/v1/payees": payeesRouter,
  "/api/v1/payout-users": payoutUsersRouter,
  "/api/v1/payout-user": payoutUserRouter,
  "/api/v1/balance": balanceRouter,
  "/api/v1/payouts": payoutsRouter,
  "/webhooks": webhooksRouter,
  "/api/v1/payout-requests": payoutRequestsRouter,
  "/v1/businesses": ledgerPayoutsRouter,
};
