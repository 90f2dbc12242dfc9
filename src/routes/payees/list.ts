import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { requireScope } from "../../http/auth";
import { errorResponses } from "../../http/openapi";
import { decodeCursor, toPage } from "../../http/pagination";
import { listPayees } from "../../services/payees/read";
import { json, PayeeListQuerySchema, PayeeListSchema, security } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Payees"],
  summary: "List payees",
  description:
    "Returns the business's payees, oldest first, a page at a time. Filter by `status`, `type`, `hold_status` or exact `external_id`; `q` matches a case-insensitive substring of the name. Requires `read:payees`.",
  security,
  middleware: [requireScope("read:payees")] as const,
  request: { query: PayeeListQuerySchema },
  responses: {
    200: { description: "A page of payees", content: json(PayeeListSchema) },
    ...errorResponses(400, 401, 403),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  const after = decodeCursor("payees", cursor);
  const rows = await listPayees(c.var.db, c.var.auth.businessId, { ...filters, limit, after });
  return c.json(toPage("payees", rows, limit), 200);
};
