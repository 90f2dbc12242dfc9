import type { z } from "@hono/zod-openapi";
import type { PayoutSchema } from "./schemas";

type Payout = z.infer<typeof PayoutSchema>;

/** A payout in Token.io's shape; `statusReasonInformation` only when there is one, as Token.io omits empty fields. */
export function presentPayout(p: {
  id: string;
  status: string;
  statusReasonInformation: string | null;
  initiation: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}): Payout {
  return {
    id: p.id,
    status: p.status as Payout["status"],
    ...(p.statusReasonInformation ? { statusReasonInformation: p.statusReasonInformation } : {}),
    // Stored from the validated body, so it has the schema's shape.
    initiation: p.initiation as Payout["initiation"],
    createdDateTime: p.createdAt,
    updatedDateTime: p.updatedAt,
  };
}
