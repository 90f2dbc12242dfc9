import { z } from "@hono/zod-openapi";
import { ApiError } from "./errors";
import { text } from "./validation";

/**
 * Keyset pagination. Ids are time-ordered, so "after this id" is a stable position even while
 * rows are being added; the cursor is that id, wrapped so clients treat it as opaque.
 */
export const paginationQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ description: "Page size, 1-200.", example: 50 }),
  cursor: text().min(1).max(200).optional().openapi({ description: "`meta.next_cursor` of the previous page." }),
};

export const pageMetaSchema = z.object({
  next_cursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last page." }),
  limit: z.number().int().openapi({ example: 50 }),
});

// Ids are `<prefix>_<lowercase ULID>`; a cursor holding anything else was not made here.
const idPattern = /^[a-z]{3}_[0-9a-z]{26}$/;

/**
 * A cursor names the list it belongs to (`list`: "payees", or "transactions:<user id>"), so a
 * cursor from another list is refused instead of silently paging through the wrong rows.
 */
export function encodeCursor(list: string, lastId: string): string {
  return btoa(JSON.stringify({ v: 2, l: list, id: lastId })).replace(/=+$/, "");
}

/** `position` says what a position of this list looks like: an id, unless the list pages by something else. */
export function decodeCursor(list: string, cursor: string | undefined, position: RegExp = idPattern): string | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(atob(cursor));
  } catch {
    parsed = undefined;
  }
  const fields = (parsed ?? {}) as { v?: unknown; l?: unknown; id?: unknown };
  if (fields.v === 2 && typeof fields.id === "string" && position.test(fields.id)) {
    if (fields.l === list) return fields.id;
    throw new ApiError("invalid_cursor", "The cursor belongs to another list.", { cursor: ["From another list"] });
  }
  throw new ApiError("invalid_cursor", "The cursor is not one this API returned.", { cursor: ["Invalid cursor"] });
}

/** Services fetch `limit + 1` rows; the extra row only tells whether another page exists. */
export function toPage<T extends { id: string }>(list: string, rows: T[], limit: number) {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, meta: { next_cursor: rows.length > limit && last ? encodeCursor(list, last.id) : null, limit } };
}
