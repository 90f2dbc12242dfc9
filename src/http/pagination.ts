import { z } from "@hono/zod-openapi";
import { ApiError } from "./errors";

/**
 * Keyset pagination. Ids are time-ordered, so "after this id" is a stable position even while
 * rows are being added; the cursor is that id, wrapped so clients treat it as opaque.
 */
export const paginationQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ description: "Page size, 1-200.", example: 50 }),
  cursor: z.string().min(1).max(200).optional().openapi({ description: "`meta.next_cursor` of the previous page." }),
};

export const pageMetaSchema = z.object({
  next_cursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last page." }),
  limit: z.number().int().openapi({ example: 50 }),
});

export function encodeCursor(lastId: string): string {
  return btoa(JSON.stringify({ v: 1, id: lastId })).replace(/=+$/, "");
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(atob(cursor));
    if (parsed && typeof parsed === "object" && "v" in parsed && parsed.v === 1 && "id" in parsed && typeof parsed.id === "string") {
      return parsed.id;
    }
  } catch {
    // falls through to the error below
  }
  throw new ApiError("invalid_cursor", "The cursor is not one this API returned.", { cursor: ["Invalid cursor"] });
}

/** Services fetch `limit + 1` rows; the extra row only tells whether another page exists. */
export function toPage<T extends { id: string }>(rows: T[], limit: number) {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, meta: { next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null, limit } };
}
