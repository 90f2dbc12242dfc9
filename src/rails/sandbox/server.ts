import { DurableObject } from "cloudflare:workers";
import { logError } from "../../lib/log-error";
import { railWebhookSecret, signWebhook } from "../signing";
import { type SandboxStep, sandboxScript } from "./magic";

/**
 * The sandbox rail's side: what a real rail run by someone else would be, reached only over HTTP.
 * One object per idempotency key (our payout id), so a payment is created once however many times
 * it is submitted. After `SANDBOX_RAIL_DELAY_MS` it sends its status events, signed with Standard
 * Webhooks, to Disburse's `POST /webhooks/rails/sandbox`, one per delay, retrying a delivery that
 * fails with backoff as real rails do.
 */
export interface SandboxRailEnv {
  SANDBOX_RAIL: DurableObjectNamespace<SandboxRail>;
  /** Milliseconds between a submission and each of its events (default 500). */
  SANDBOX_RAIL_DELAY_MS?: string;
  /** Where to send events; unset: this Worker's own `/webhooks/rails/sandbox` (the single-Worker setup). */
  SANDBOX_RAIL_WEBHOOK_URL?: string;
  SQL_ENDPOINT?: string;
  RAIL_WEBHOOK_SECRET_SANDBOX?: string;
}

interface Payment {
  id: string;
  idempotencyKey: string;
  businessId: string;
  amount: number;
  currency: string;
  creditorName: string;
  submissions: number;
  script: SandboxStep[] | null;
  /** Index into the deliveries the script expands to. */
  next: number;
  failedDeliveries: number;
  delivered: { webhookId: string; status: string; httpStatus: number }[];
}

const maxDeliveryAttempts = 8;

/** The rail's HTTP front door: routes a request to the payment's object by its key. */
export function sandboxRailFetch(request: Request, env: SandboxRailEnv): Promise<Response> | Response {
  const url = new URL(request.url);
  let key: string | null = null;
  if (request.method === "POST" && url.pathname === "/v1/payments") key = request.headers.get("Idempotency-Key");
  else if (request.method === "GET" && url.pathname.startsWith("/v1/payments/")) key = decodeURIComponent(url.pathname.slice(13));
  else return Response.json({ error: "no such route" }, { status: 404 });
  if (!key) return Response.json({ error: "Idempotency-Key is required" }, { status: 400 });
  return env.SANDBOX_RAIL.get(env.SANDBOX_RAIL.idFromName(key)).fetch(request);
}

export class SandboxRail extends DurableObject<SandboxRailEnv> {
  override async fetch(request: Request): Promise<Response> {
    if (request.method === "GET") {
      const payment = await this.ctx.storage.get<Payment>("payment");
      return payment ? Response.json(payment) : Response.json({ error: "no such payment" }, { status: 404 });
    }
    return this.submit(request);
  }

  private async submit(request: Request): Promise<Response> {
    const key = request.headers.get("Idempotency-Key")!;
    let body: { amount?: number; currency?: string; creditor?: { name?: string }; metadata?: { business_id?: string } };
    try {
      body = await request.json();
    } catch {
      return Response.json({ error: "body must be JSON" }, { status: 400 });
    }
    const name = body.creditor?.name;
    const businessId = body.metadata?.business_id;
    if (typeof name !== "string" || typeof businessId !== "string" || typeof body.amount !== "number") {
      return Response.json({ error: "creditor.name, amount and metadata.business_id are required" }, { status: 422 });
    }
    let payment = await this.ctx.storage.get<Payment>("payment");
    const replayed = payment !== undefined;
    if (!payment) {
      const script = sandboxScript(name);
      payment = {
        id: `sbx_${crypto.randomUUID().replaceAll("-", "")}`,
        idempotencyKey: key,
        businessId,
        amount: body.amount,
        currency: body.currency ?? "",
        creditorName: name,
        submissions: 0,
        script: script ?? null,
        next: 0,
        failedDeliveries: 0,
        delivered: [],
      };
      if (script?.length) await this.ctx.storage.setAlarm(Date.now() + this.delayMs());
    }
    payment.submissions += 1;
    await this.ctx.storage.put("payment", payment);
    if (!payment.script) {
      // `Sandbox Timeout`: the rail never answers; the caller's own timeout ends the wait.
      await new Promise((resolve) => setTimeout(resolve, 10 * 60_000));
      return Response.json({ error: "timed out" }, { status: 504 });
    }
    return Response.json({ id: payment.id, status: "received", replayed }, { status: replayed ? 200 : 202 });
  }

  override async alarm(): Promise<void> {
    const payment = await this.ctx.storage.get<Payment>("payment");
    if (!payment?.script) return;
    const deliveries = payment.script.flatMap((step, i) =>
      step.again
        ? [
            { step, i },
            { step, i },
          ]
        : [{ step, i }],
    );
    const delivery = deliveries[payment.next];
    if (!delivery) return;
    const webhookId = `msg_${payment.id.slice(4)}_${delivery.i}`;
    let httpStatus = 0;
    try {
      httpStatus = await this.deliver(payment, webhookId, delivery.step);
    } catch (err) {
      logError("sandbox rail: delivery failed", err);
    }
    payment.delivered.push({ webhookId, status: delivery.step.status, httpStatus });
    if (httpStatus >= 200 && httpStatus < 300) {
      payment.next += 1;
      payment.failedDeliveries = 0;
      if (payment.next < deliveries.length) await this.ctx.storage.setAlarm(Date.now() + this.delayMs());
    } else if (++payment.failedDeliveries < maxDeliveryAttempts) {
      await this.ctx.storage.setAlarm(Date.now() + Math.min(this.delayMs() * 2 ** payment.failedDeliveries, 60_000));
    }
    await this.ctx.storage.put("payment", payment);
  }

  private async deliver(payment: Payment, webhookId: string, step: SandboxStep): Promise<number> {
    const secret = railWebhookSecret(this.env as unknown as Record<string, unknown>, "sandbox");
    if (!secret) throw new Error("the sandbox rail has no webhook secret (RAIL_WEBHOOK_SECRET_SANDBOX)");
    const payload = JSON.stringify({
      type: `payment.${step.status}`,
      timestamp: new Date().toISOString(),
      data: {
        payment_id: payment.id,
        idempotency_key: payment.idempotencyKey,
        status: step.status,
        reason: step.reason,
        metadata: { business_id: payment.businessId },
      },
    });
    const init = {
      method: "POST",
      headers: { "Content-Type": "application/json", ...signWebhook(secret, webhookId, new Date(), payload) },
      body: payload,
    };
    const target = this.env.SANDBOX_RAIL_WEBHOOK_URL;
    const res = target
      ? await fetch(target, init)
      : // The single-Worker setup: this Worker's own entry point, through its full HTTP path.
        await (this.ctx as unknown as { exports: { default: Fetcher } }).exports.default.fetch(
          "http://disburse.internal/webhooks/rails/sandbox",
          init,
        );
    await res.body?.cancel();
    return res.status;
  }

  private delayMs(): number {
    const ms = Number(this.env.SANDBOX_RAIL_DELAY_MS ?? 500);
    return Number.isFinite(ms) && ms >= 0 ? ms : 500;
  }
}
