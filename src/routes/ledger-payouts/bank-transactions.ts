import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../http/auth";
import { ApiError, type FieldErrors } from "../../http/errors";
import { idempotent } from "../../http/idempotency";
import { errorResponses } from "../../http/openapi";
import { decodeCursor, toPage } from "../../http/pagination";
import { importBankTransactions, listBankTransactions } from "../../services/ledger-payouts/bank-transactions";
import {
  BankTransactionListSchema,
  BankTransactionWithMatchSchema,
  bankBulkBody,
  bankListQuery,
  exampleBankTransaction,
} from "./bank-transaction-schemas";
import { ownBusiness } from "./business";
import { bulkLimit, businessParam, json, security } from "./route-common";

export const importRoute = createRoute({
  method: "post",
  path: "/{businessId}/bank-transactions/bulk",
  tags: ["Ledger payouts"],
  operationId: "bulkUpsertBankTransactions",
  summary: "Import bank transactions",
  description:
    `Creates or updates 1-${bulkLimit} bank transactions by \`source\` + \`source_transaction_id\`, then matches every unmatched CREDIT to an unmatched payout of the same amount whose processor is the transaction's \`source\` or is named in its \`description\`, completed within 5 days of its \`date\` (closest date first, each side at most once). ` +
    "Updating a matched transaction's amount, date, direction or description drops its match first. The same key twice in one request is a 400. Requires `write:ledger`. Accepts `Idempotency-Key`.",
  security,
  middleware: [requireScope("write:ledger"), idempotent] as const,
  request: { params: businessParam, body: { required: true, content: json(bankBulkBody) } },
  responses: {
    200: {
      description: "The transactions in request order, with their matches",
      content: json(
        BankTransactionWithMatchSchema.array().openapi({
          example: [{ ...exampleBankTransaction, match: null, categorization_status: "READY_FOR_INPUT" }],
        }),
      ),
    },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

export const importHandler: RouteHandler<typeof importRoute> = async (c) => {
  const businessId = ownBusiness(c, c.req.valid("param").businessId);
  const items = c.req.valid("json");
  const seen = new Map<string, number>();
  const fields: FieldErrors = {};
  items.forEach((t, i) => {
    const key = JSON.stringify([t.source, t.source_transaction_id]);
    const earlier = seen.get(key);
    if (earlier !== undefined) fields[`${i}.source_transaction_id`] = [`Duplicate of transaction ${earlier} in this request`];
    else seen.set(key, i);
  });
  if (Object.keys(fields).length)
    throw new ApiError("validation_error", "The request has duplicate transactions; nothing was written.", fields);
  return c.json((await importBankTransactions(c.var.db, businessId, items)) as never, 200);
};

export const listRoute = createRoute({
  method: "get",
  path: "/{businessId}/bank-transactions",
  tags: ["Ledger payouts"],
  operationId: "listBankTransactions",
  summary: "List bank transactions",
  description: "Imported bank transactions, oldest first; `matched=false` lists the unmatched ones. Requires `read:ledger`.",
  security,
  middleware: [requireScope("read:ledger")] as const,
  request: { params: businessParam, query: bankListQuery },
  responses: {
    200: { description: "A page of bank transactions", content: json(BankTransactionListSchema) },
    ...errorResponses(400, 401, 403, 404),
  },
});

export const listHandler: RouteHandler<typeof listRoute> = async (c) => {
  const businessId = ownBusiness(c, c.req.valid("param").businessId);
  const { limit, cursor, matched } = c.req.valid("query");
  const rows = await listBankTransactions(c.var.db, businessId, {
    limit,
    matched,
    after: decodeCursor("ledger-bank-transactions", cursor),
  });
  return c.json(toPage("ledger-bank-transactions", rows, limit) as never, 200);
};
