import { createRouter } from "../../http/router";
import * as accounts from "./accounts";
import * as bank from "./bank-transactions";
import * as bulk from "./bulk";
import * as entries from "./entries";
import * as get from "./get";
import * as list from "./list";
import { PayoutInputSchema } from "./payout-input-schemas";
import * as undoMatch from "./undo-match";

/**
 * The ledger-payouts endpoints (Layer's bulk payouts), mounted at /v1/businesses as the page
 * has them. `payouts/bulk` comes before `payouts/{payoutId}` so it is never taken for an id.
 */
export const ledgerPayoutsRouter = createRouter()
  .openapi(bulk.route, bulk.handler)
  .openapi(list.route, list.handler)
  .openapi(get.route, get.handler)
  .openapi(undoMatch.route, undoMatch.handler)
  .openapi(accounts.route, accounts.handler)
  .openapi(entries.route, entries.handler)
  .openapi(bank.importRoute, bank.importHandler)
  .openapi(bank.listRoute, bank.listHandler);

// The bulk body validates each payout on its own and points at this schema by $ref.
ledgerPayoutsRouter.openAPIRegistry.register("PayoutInput", PayoutInputSchema);
