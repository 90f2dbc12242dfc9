// The soak bench's baseline: a Worker that does nothing but answer a 404 in JSON, soaked beside
// Disburse in the same run, so that memory the local runtime keeps per request is not read as ours.
export default {
  async fetch(request) {
    const body = JSON.stringify({ error: { code: "not_found", path: new URL(request.url).pathname } });
    return new Response(body, { status: 404, headers: { "Content-Type": "application/json" } });
  },
};
