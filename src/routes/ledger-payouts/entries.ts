import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../http/auth";
import { errorResponses } from "../../http/openapi";
import { decodeCursor, toPage } from "../../http/pagination";
import { listEntries } from "../../services/ledger-payouts/entries";
import { ownBusiness } from "./business";
import { entryListQuery, JournalEntryListSchema } from "./journal-entry-schemas";
import { businessParam, json, security } from "./route-common";

export const route = createRoute({
  method: "get",
  path: "/{businessId}/ledger/entries",
  tags: ["Ledger payouts"],
  operationId: "listJournalEntries",
  summary: "List journal entries",
  description:
    "Journal entries with their lines, oldest first. One entry per payout; its debits always equal its credits. Filter by `payout_id` or by `account_id` (entries with a line on that account). Requires `read:ledger`.",
  security,
  middleware: [requireScope("read:ledger")] as const,
  request: { params: businessParam, query: entryListQuery },
  responses: {
    200: { description: "A page of journal entries", content: json(JournalEntryListSchema) },
    ...errorResponses(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const businessId = ownBusiness(c, c.req.valid("param").businessId);
  const { limit, cursor, ...filters } = c.req.valid("query");
  const rows = await listEntries(c.var.db, businessId, { ...filters, limit, after: decodeCursor("ledger-entries", cursor) });
  return c.json(toPage("ledger-entries", rows, limit) as never, 200);
};
