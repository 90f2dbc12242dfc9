import type { Env } from "../env";

/** The path the dev runner fires crons on (see `withLocalCronTrigger`). */
export const localCronPath = "/__local/scheduled";

type Handlers = {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response>;
  scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): void | Promise<void>;
};

/**
 * Locally only (`SQL_ENDPOINT` set, which production never has), `GET /__local/scheduled?cron=...`
 * runs the Worker's scheduled handler. The runtime's own `/cdn-cgi/handler/scheduled` answers
 * "exception" without calling it once the Worker has static assets (miniflare 4.20260426,
 * cloudflare/workers-sdk#9882, fixed in a later release), so the dev runner fires crons here.
 * The handler is idempotent (it re-hands payouts whose hand-off was lost), so nothing is gained
 * by calling it from outside.
 */
export function withLocalCronTrigger<H extends Handlers>(handlers: H): H {
  return {
    ...handlers,
    async fetch(request: Request, env: Env, ctx: ExecutionContext) {
      const url = new URL(request.url);
      if (env.SQL_ENDPOINT && url.pathname === localCronPath) {
        const cron = url.searchParams.get("cron") ?? "* * * * *";
        await handlers.scheduled({ cron, scheduledTime: Date.now(), noRetry() {} } as ScheduledController, env, ctx);
        return new Response("ok");
      }
      return handlers.fetch(request, env, ctx);
    },
  };
}
