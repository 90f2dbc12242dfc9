import type { Env } from "../env";
import type { LocalRoute } from "./local-routes";

/** The path the dev runner fires crons on (see `runScheduled`). */
export const localCronPath = "/__local/scheduled";

type Scheduled = (controller: ScheduledController, env: Env, ctx: ExecutionContext) => void | Promise<void>;

/**
 * `GET /__local/scheduled?cron=...`, local runs only (`withLocalRoutes`): runs the Worker's scheduled
 * handler. The runtime's own `/cdn-cgi/handler/scheduled` answers "exception" without calling it
 * once the Worker has static assets (miniflare 4.20260426, cloudflare/workers-sdk#9882, fixed in a
 * later release), so the dev runner fires crons here. The handler is idempotent (it re-hands payouts
 * whose hand-off was lost), so nothing is gained by calling it from outside.
 */
export const runScheduled: LocalRoute<{ scheduled: Scheduled }> = async (_request, url, env, ctx, handlers) => {
  const cron = url.searchParams.get("cron") ?? "* * * * *";
  await handlers.scheduled({ cron, scheduledTime: Date.now(), noRetry() {} } as ScheduledController, env, ctx);
  return new Response("ok");
};
