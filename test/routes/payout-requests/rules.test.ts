import { describe, expect, it } from "vitest";
import { expectError, seedBusiness, sqlStats } from "../../harness";
import { allocation, getOk, newRequest, put, putOk, uniqueId } from "./helpers";

describe("allocation rules", () => {
  it("approved and unknown allocations may not exceed the amount (400 allocation_exceeds_amount); declined, abandoned, canceled do not count", async () => {
    const s = await seedBusiness();
    const id = uniqueId();
    const within = await putOk(
      s,
      id,
      newRequest({
        allocations: [
          allocation("a", 60, "approved"),
          allocation("u", 40, "unknown"),
          allocation("d", 500, "declined"),
          allocation("x", 500, "abandoned"),
          allocation("c", 500, "canceled"),
        ],
      }),
      201,
    );
    expect(within.data).toMatchObject({ availableAmount: 0, status: "partially-fulfilled" });
    const error = await expectError(
      await put(s, id, newRequest({ allocations: [allocation("a", 60, "approved"), allocation("u", 40.01, "unknown")] })),
      400,
      "allocation_exceeds_amount",
    );
    expect(error.fields).toHaveProperty("allocations");
    expect((await getOk(s, id)).data).toEqual(within.data);
  });

  it("transactionId is unique within a request; allocations take the request's currency", async () => {
    const s = await seedBusiness();
    const dup = await expectError(
      await put(s, uniqueId(), newRequest({ allocations: [allocation("t", 1, "declined"), allocation("t", 2, "declined")] })),
      400,
      "validation_error",
    );
    expect(Object.keys(dup.fields ?? {})).toEqual(["allocations.1.transactionId"]);
    const { data } = await putOk(s, uniqueId(), newRequest({ currency: "EUR", allocations: [allocation("t", 1, "declined")] }), 201);
    expect(data.allocations[0]!.currency).toBe("EUR");
    // The same transaction id in two requests is fine.
    await putOk(s, uniqueId(), newRequest({ allocations: [allocation("t", 1, "declined")] }), 201);
  });

  it("an allocation left out is removed, but an approved one can never be removed or changed (409)", async () => {
    const s = await seedBusiness();
    const id = uniqueId();
    await putOk(
      s,
      id,
      newRequest({ allocations: [allocation("ok", 30, "approved", { method: "SEPA" }), allocation("u", 20, "unknown")] }),
      201,
    );
    const removed = await putOk(s, id, newRequest({ allocations: [allocation("ok", 30, "approved", { method: "SEPA" })] }), 200);
    expect(removed.data.allocations.map((a) => a.transactionId)).toEqual(["ok"]);
    for (const allocations of [
      [],
      [allocation("ok", 31, "approved", { method: "SEPA" })],
      [allocation("ok", 30, "declined", { method: "SEPA" })],
      [allocation("ok", 30, "approved")],
    ]) {
      const res = await put(s, id, newRequest({ allocations }));
      expect(await sqlStats(res)).toMatchObject({ requests: 1 });
      const error = await expectError(res, 409, "conflict");
      expect(error.message).toContain('"ok"');
      expect(res.headers.get("ETag")).toBe('"2"');
    }
    expect((await getOk(s, id)).data).toEqual(removed.data);
  });

  it("allocation times: createdTime stays, updatedTime moves only when the allocation changes", async () => {
    const s = await seedBusiness();
    const id = uniqueId();
    const first = await putOk(s, id, newRequest({ allocations: [allocation("a", 10, "unknown"), allocation("b", 10, "unknown")] }), 201);
    const [a0, b0] = first.data.allocations;
    const second = await putOk(
      s,
      id,
      newRequest({ allocations: [allocation("a", 10, "approved"), allocation("b", 10, "unknown"), allocation("c", 5, "declined")] }),
      200,
    );
    const [a1, b1, c1] = second.data.allocations;
    expect(a1!.createdTime).toBe(a0!.createdTime);
    expect(a1!.updatedTime > a0!.updatedTime).toBe(true);
    expect(b1).toEqual(b0);
    expect(c1!.createdTime).toBe(second.data.updatedTime);
  });

  it("amount and currency cannot change once allocations exist (409); before that they can", async () => {
    const s = await seedBusiness();
    const id = uniqueId();
    await putOk(s, id, newRequest(), 201);
    await putOk(s, id, newRequest({ amount: 80, currency: "EUR" }), 200);
    await putOk(s, id, newRequest({ amount: 80, currency: "EUR", allocations: [allocation("d", 5, "declined")] }), 200);
    const amount = await expectError(
      await put(s, id, newRequest({ amount: 90, currency: "EUR", allocations: [allocation("d", 5, "declined")] })),
      409,
      "conflict",
    );
    expect(Object.keys(amount.fields ?? {})).toEqual(["amount"]);
    const currency = await expectError(
      await put(s, id, newRequest({ amount: 80, currency: "GBP", allocations: [allocation("d", 5, "declined", { currency: "GBP" })] })),
      409,
      "conflict",
    );
    expect(Object.keys(currency.fields ?? {})).toEqual(["currency"]);
    // Even removing the allocations in the same PUT: they exist when it arrives.
    await expectError(await put(s, id, newRequest({ amount: 90, currency: "EUR" })), 409, "conflict");
  });
});

describe("status", () => {
  it("follows the data: pending, instrument-selected, partially-fulfilled, fulfilled", async () => {
    const s = await seedBusiness();
    const id = uniqueId();
    expect((await putOk(s, id, newRequest(), 201)).data.status).toBe("pending");
    expect((await putOk(s, id, newRequest({ paymentInstrumentId: "i" }), 200)).data.status).toBe("instrument-selected");
    const unknownOnly = await putOk(s, id, newRequest({ paymentInstrumentId: "i", allocations: [allocation("a", 40, "unknown")] }), 200);
    expect(unknownOnly.data).toMatchObject({ status: "instrument-selected", availableAmount: 60 });
    expect(
      (await putOk(s, id, newRequest({ paymentInstrumentId: "i", allocations: [allocation("a", 40, "approved")] }), 200)).data.status,
    ).toBe("partially-fulfilled");
    const full = await putOk(
      s,
      id,
      newRequest({ paymentInstrumentId: "i", allocations: [allocation("a", 40, "approved"), allocation("b", 60, "approved")] }),
      200,
    );
    expect(full.data).toMatchObject({ status: "fulfilled", availableAmount: 0 });
  });

  it("may go straight from pending to fulfilled with one full allocation", async () => {
    const s = await seedBusiness();
    const id = uniqueId();
    await putOk(s, id, newRequest(), 201);
    expect((await putOk(s, id, newRequest({ allocations: [allocation("a", 100, "approved")] }), 200)).data.status).toBe("fulfilled");
  });

  it("the client sets only canceled, with a cancellationReason (canceledBy defaults to customer)", async () => {
    const s = await seedBusiness();
    const id = uniqueId();
    await putOk(s, id, newRequest(), 201);
    const missing = await expectError(await put(s, id, newRequest({ status: "canceled" })), 400, "validation_error");
    expect(Object.keys(missing.fields ?? {})).toEqual(["cancellationReason"]);
    const stray = await expectError(await put(s, id, newRequest({ cancellationReason: { description: "x" } })), 400, "validation_error");
    expect(Object.keys(stray.fields ?? {})).toEqual(["cancellationReason"]);
    const canceled = await putOk(s, id, newRequest({ status: "canceled", cancellationReason: { description: "Changed my mind" } }), 200);
    expect(canceled.data).toMatchObject({
      status: "canceled",
      cancellationReason: { description: "Changed my mind", canceledBy: "customer" },
    });
    const merchant = await putOk(s, uniqueId(), newRequest({ status: "canceled", cancellationReason: { canceledBy: "merchant" } }), 201);
    expect(merchant.data.cancellationReason).toEqual({ description: null, canceledBy: "merchant" });
  });

  it("canceled is final: any later change is a 409 invalid_status_transition naming both states; the same body is a 200", async () => {
    const s = await seedBusiness();
    const id = uniqueId();
    const canceledBody = newRequest({ status: "canceled", cancellationReason: { description: "dup", canceledBy: "merchant" } });
    await putOk(s, id, newRequest({ allocations: [allocation("a", 10, "approved")] }), 201);
    const canceled = await putOk(s, id, { ...canceledBody, allocations: [allocation("a", 10, "approved")] }, 200);
    expect(canceled.data.status).toBe("canceled");
    const reopen = await expectError(
      await put(s, id, newRequest({ allocations: [allocation("a", 10, "approved")] })),
      409,
      "invalid_status_transition",
    );
    expect(reopen.message).toContain('"canceled"');
    expect(reopen.message).toContain('"partially-fulfilled"');
    const edit = await expectError(
      await put(s, id, { ...canceledBody, description: "new", allocations: [allocation("a", 10, "approved")] }),
      409,
      "invalid_status_transition",
    );
    expect(edit.message).toContain('from "canceled" to "canceled"');
    const same = await putOk(s, id, (await getOk(s, id)).data, 200);
    expect(same.data).toEqual(canceled.data);
  });

  it("a fulfilled request cannot be canceled (409 invalid_status_transition)", async () => {
    const s = await seedBusiness();
    const id = uniqueId();
    const full = newRequest({ allocations: [allocation("a", 100, "approved")] });
    await putOk(s, id, full, 201);
    const error = await expectError(
      await put(s, id, { ...full, status: "canceled", cancellationReason: { description: "late" } }),
      409,
      "invalid_status_transition",
    );
    expect(error.message).toContain('"fulfilled" to "canceled"');
    expect((await getOk(s, id)).data.status).toBe("fulfilled");
  });
});

describe("blocking", () => {
  it("blocked: true needs a blockReason, and a reason needs blocked: true", async () => {
    const s = await seedBusiness();
    const missing = await expectError(await put(s, uniqueId(), newRequest({ blocked: true })), 400, "validation_error");
    expect(Object.keys(missing.fields ?? {})).toEqual(["blockReason"]);
    const stray = await expectError(await put(s, uniqueId(), newRequest({ blockReason: { description: "x" } })), 400, "validation_error");
    expect(Object.keys(stray.fields ?? {})).toEqual(["blockReason"]);
    const { data } = await putOk(s, uniqueId(), newRequest({ blocked: true, blockReason: { description: "KYC review" } }), 201);
    expect(data).toMatchObject({ blocked: true, blockReason: { description: "KYC review" } });
  });

  it("a blocked request takes no new allocations and cannot be fulfilled (409 payout_request_blocked) until unblocked", async () => {
    const s = await seedBusiness();
    const id = uniqueId();
    const block = { blocked: true, blockReason: { description: "KYC review" } };
    await putOk(s, id, newRequest({ allocations: [allocation("a", 50, "approved"), allocation("b", 50, "unknown")] }), 201);
    await putOk(s, id, newRequest({ ...block, allocations: [allocation("a", 50, "approved"), allocation("b", 50, "unknown")] }), 200);
    const added = await expectError(
      await put(
        s,
        id,
        newRequest({
          ...block,
          allocations: [allocation("a", 50, "approved"), allocation("b", 40, "unknown"), allocation("c", 1, "declined")],
        }),
      ),
      409,
      "payout_request_blocked",
    );
    expect(added.message).toContain('"c"');
    const fulfil = await expectError(
      await put(s, id, newRequest({ ...block, allocations: [allocation("a", 50, "approved"), allocation("b", 50, "approved")] })),
      409,
      "payout_request_blocked",
    );
    expect(fulfil.fields).toHaveProperty("allocations");
    // Existing allocations may still change short of fulfilling, or be removed.
    await putOk(s, id, newRequest({ ...block, allocations: [allocation("a", 50, "approved"), allocation("b", 50, "declined")] }), 200);
    // Blocking a new request with allocations is the same: they would be new.
    await expectError(
      await put(s, uniqueId(), newRequest({ ...block, allocations: [allocation("a", 1, "declined")] })),
      409,
      "payout_request_blocked",
    );
    // Unblocked, it can be fulfilled.
    const done = await putOk(
      s,
      id,
      newRequest({ allocations: [allocation("a", 50, "approved"), allocation("b", 50, "declined"), allocation("c", 50, "approved")] }),
      200,
    );
    expect(done.data).toMatchObject({ status: "fulfilled", blocked: false, blockReason: null });
  });
});
