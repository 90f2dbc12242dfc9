// The bank check as the rail for "Sandbox Hold" payouts: the sandbox rail takes them and never sends
// a word, so the bench sends their status events itself to POST /webhooks/rails/sandbox, signed with
// the secret the local Worker uses: in order, reordered, duplicated (the same webhook-id again, and
// the same event under a new id), rejecting and failing ones, two finals at once, and late ones after
// the end. Being the only sender, it knows what each event must do, and checks the answers.
import { sql } from "drizzle-orm";
import { localSandboxSecret, signWebhook } from "../../src/rails/signing";
import { type Answer, type Biz, count, pick, type Run, untilAnswered } from "./bank-client";

type Word = "processing" | "settled" | "rejected" | "failed";
const rank: Record<Word, number> = { processing: 1, settled: 2, rejected: 2, failed: 2 };
const statusOf: Record<Word, string> = {
  processing: "INITIATION_PROCESSING",
  settled: "INITIATION_COMPLETED",
  rejected: "INITIATION_REJECTED",
  failed: "INITIATION_FAILED",
};
const finals: Word[] = ["settled", "rejected", "failed"];

let seq = 0;
/** Bench webhook-ids start `bench_`, the sandbox rail's own `msg_`: the invariants tell them apart. */
const newWebhookId = () => `bench_${Date.now().toString(36)}_${seq++}`;

/** One signed delivery, repeated (re-signed, same id and body) until answered, as a rail retries. */
function deliver(run: Run, biz: Biz, payoutId: string, word: Word, webhookId: string) {
  const payload = JSON.stringify({
    type: `payment.${word}`,
    timestamp: new Date().toISOString(),
    data: {
      payment_id: `sbx_bench_${payoutId}`,
      idempotency_key: payoutId,
      status: word,
      reason: `The bank check's rail says ${word}.`,
      metadata: { business_id: biz.id },
    },
  });
  return untilAnswered(async (): Promise<Answer> => {
    const headers = { "Content-Type": "application/json", ...signWebhook(localSandboxSecret, webhookId, new Date(), payload) };
    try {
      const res = await fetch(`${run.base}/webhooks/rails/sandbox`, { method: "POST", headers, body: payload });
      return { status: res.status, body: await res.json().catch(() => undefined), replayed: false };
    } catch {
      return { status: 599, body: undefined, replayed: false };
    }
  });
}

/**
 * Checks a receipt against what the event must have done. A delivery that needed a retry may have
 * been applied by the attempt whose answer was lost, so only its status is checked.
 */
function expectReceipt(run: Run, a: Answer & { retried: boolean }, what: string, want: { applied: boolean; duplicate: boolean }) {
  count(run, `rail event ${a.status}${a.body?.duplicate ? " duplicate" : ""}${a.body?.applied ? " applied" : ""}`);
  if (a.status !== 200) run.violations.push(`${what}: answered ${a.status} ${JSON.stringify(a.body?.error?.code ?? a.body)}`);
  else if (!a.retried && (a.body.applied !== want.applied || a.body.duplicate !== want.duplicate))
    run.violations.push(`${what}: answered ${JSON.stringify(a.body)}, expected ${JSON.stringify(want)}`);
}

/** Scenarios for a held payout still PENDING or PROCESSING; `twice` repeats each delivery as a duplicate. */
const scenarios: { name: string; words: Word[]; twice?: boolean; together?: boolean }[] = [
  { name: "processing then settled", words: ["processing", "settled"] },
  { name: "rejected", words: ["rejected"] },
  { name: "processing then failed", words: ["processing", "failed"] },
  { name: "reordered: settled before processing", words: ["settled", "processing"] },
  { name: "reordered: rejected before processing", words: ["rejected", "processing"] },
  { name: "duplicated: every event twice, and again under a new id", words: ["processing", "settled"], twice: true },
  { name: "duplicated rejection", words: ["rejected"], twice: true },
  { name: "processing only (stays at the rail)", words: ["processing"] },
  { name: "two different finals at once", words: ["settled", "rejected"], together: true },
];

/** Plays one scenario on a held payout that the rail has taken (submitted); returns whether it ended final. */
async function play(run: Run, biz: Biz, payoutId: string, from: number): Promise<{ final: boolean; sent: string[] }> {
  const scenario = pick(run.rnd, scenarios);
  const words = scenario.together ? [pick(run.rnd, finals), pick(run.rnd, finals)] : scenario.words;
  const what = (w: Word) => `rail event ${w} (${scenario.name}) for ${payoutId}`;
  const sent: string[] = [];
  let current = from;
  let final: Word | undefined;
  if (scenario.together) {
    const ids = words.map(() => newWebhookId());
    sent.push(...ids.map((id, i) => `${id} ${words[i]}`));
    const answers = await Promise.all(words.map((w, i) => deliver(run, biz, payoutId, w, ids[i]!)));
    for (const a of answers) count(run, `rail event ${a.status}${a.body?.applied ? " applied" : ""}`);
    const applied = answers.filter((a) => a.status === 200 && a.body.applied);
    if (applied.length > 1) run.violations.push(`${payoutId}: two final events both applied (${words.join(", ")})`);
    if (answers.every((a) => a.status === 200 && !a.retried) && applied.length === 1)
      run.heldFinal.set(payoutId, statusOf[words[answers.findIndex((a) => a.body.applied)]!]);
    return { final: true, sent };
  }
  for (const w of words) {
    const id = newWebhookId();
    sent.push(`${id} ${w}`);
    const moves = rank[w] > current;
    expectReceipt(run, await deliver(run, biz, payoutId, w, id), what(w), { applied: moves, duplicate: false });
    if (scenario.twice) {
      expectReceipt(run, await deliver(run, biz, payoutId, w, id), `${what(w)}, same webhook-id again`, {
        applied: false,
        duplicate: true,
      });
      const again = newWebhookId();
      sent.push(`${again} ${w}`);
      expectReceipt(run, await deliver(run, biz, payoutId, w, again), `${what(w)}, under a new webhook-id`, {
        applied: false,
        duplicate: false,
      });
    }
    if (moves) current = rank[w];
    if (moves && rank[w] === 2) final ??= w;
  }
  if (final) run.heldFinal.set(payoutId, statusOf[final]);
  return { final: current === 2, sent };
}

const rankOfStatus: Record<string, number> = { INITIATION_PENDING: 0, INITIATION_PROCESSING: 1 };

/** The operation: take a held payout of this business and send it a scenario's events. */
export async function railEventsForHeldPayout(run: Run, biz: Biz): Promise<void> {
  if (!biz.held.length) return void count(run, "rail events: no held payout yet");
  const payoutId = biz.held.splice(Math.floor(run.rnd() * biz.held.length), 1)[0]!;
  const { rows } = await run.ctx.db!.execute<{ status: string; submitted: boolean }>(
    sql`SELECT status, submitted_at IS NOT NULL AS submitted FROM payouts WHERE id = ${payoutId}`,
  );
  const row = rows[0];
  // A rail can only speak of a payment it has: wait until the submission has reached it.
  if (!row?.submitted || !(row.status in rankOfStatus)) {
    if (row && !row.submitted && row.status === "INITIATION_PENDING") biz.held.push(payoutId);
    return void count(run, "rail events: held payout not at the rail yet");
  }
  const { final, sent } = await play(run, biz, payoutId, rankOfStatus[row.status]!);
  if (final) biz.settled.push({ payoutId, webhookIds: sent });
  else biz.held.push(payoutId);
}

/** The operation: a late event for a payout the bench already settled, replayed or under a new id: it must change nothing. */
export async function lateRailEvent(run: Run, biz: Biz): Promise<void> {
  if (!biz.settled.length) return void count(run, "late rail event: nothing settled yet");
  const done = pick(run.rnd, biz.settled);
  if (run.rnd() < 0.5) {
    const [id, word] = pick(run.rnd, done.webhookIds).split(" ") as [string, Word];
    const a = await deliver(run, biz, done.payoutId, word, id);
    expectReceipt(run, a, `replayed rail event ${id} for ${done.payoutId}`, { applied: false, duplicate: true });
  } else {
    const word = pick(run.rnd, [...finals, "processing"] as Word[]);
    const a = await deliver(run, biz, done.payoutId, word, newWebhookId());
    expectReceipt(run, a, `late rail event ${word} for settled ${done.payoutId}`, { applied: false, duplicate: false });
  }
}
