import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/digest";
import { UsageError } from "../../src/local/admin-commands";
import { findActiveKey } from "../../src/services/api-keys";
import { adminDatabase } from "./admin-database";

const local = adminDatabase();
const { admin } = local;

describe("key:rate-limit", () => {
  it("sets a key's own limit, which the key lookup returns, and --default clears it", async () => {
    const biz = await admin("business:create", "--name", "Limits");
    const key = await admin("key:create", "--business", biz.id as string, "--scopes", "all");
    const lookup = async () => findActiveKey(local.conn.db, await sha256Hex(key.secret as string));
    expect((await lookup())?.rateLimit).toBeUndefined();

    expect(await admin("key:rate-limit", "--key", key.id as string, "--rate", "5", "--burst", "12")).toMatchObject({
      id: key.id,
      rate_limit: { rate: 5, burst: 12 },
    });
    expect((await lookup())?.rateLimit).toEqual({ rate: 5, burst: 12 });

    await admin("key:rate-limit", "--key", key.id as string, "--default");
    expect((await lookup())?.rateLimit).toBeUndefined();
  });

  it.each([
    [["key:rate-limit", "--rate", "5", "--burst", "5"], "--key is required"],
    [["key:rate-limit", "--key", "key_x", "--rate", "5"], "--burst must be"],
    [["key:rate-limit", "--key", "key_x", "--rate", "0", "--burst", "5"], "--rate must be"],
    [["key:rate-limit", "--key", "key_x", "--rate", "1.5", "--burst", "5"], "--rate must be"],
    [["key:rate-limit", "--key", "key_x", "--default", "--rate", "5"], "--default takes no"],
    [["key:rate-limit", "--key", "key_missing", "--rate", "5", "--burst", "5"], "no active key"],
  ])("refuses %j with a usage error", async (argv, message) => {
    const attempt = admin(...(argv as string[]));
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(attempt).rejects.toThrow(message);
  });
});
