import { limitPayoutUserHash } from "../../http/rate-limit";
import { createRouter } from "../../http/router";
import { payoutUserCors } from "./cors";
import * as getByHash from "./get-by-hash";

/** The payout user's own view, authenticated by their hash rather than an API key. */
export const payoutUserRouter = createRouter();
payoutUserRouter.use("*", ...payoutUserCors);
payoutUserRouter.use("*", limitPayoutUserHash);
payoutUserRouter.openapi(getByHash.route, getByHash.handler);
