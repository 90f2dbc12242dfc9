import { DrizzleQueryError } from "drizzle-orm/errors";

/**
 * Logs a failure the Worker handled (a retry follows, or the client got a 5xx) as one line: what
 * failed and why. A failed statement is named by its first 120 characters and its driver error, never
 * by its parameters: drizzle's error carries every parameter (people's names and account numbers), a
 * failed batch repeats them by the hundred, and a log is no place for them. Anything else keeps its
 * stack, which is what a bug needs.
 */
export function logError(message: string, err: unknown): void {
  console.error(`${message}: ${describeError(err)}`);
}

export function describeError(err: unknown): string {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof DrizzleQueryError) {
      const cause = e.cause instanceof Error ? e.cause.message : String(e.cause ?? "no cause given");
      return `${cause} (statement: ${shortStatement(e.query)})`;
    }
    // The same error after a Durable Object call: RPC keeps the message (statement and parameters)
    // and drops the class and the cause.
    const relayed = /^Failed query: ([\s\S]*?)\nparams: /.exec(e.message);
    if (relayed) return `a statement failed (statement: ${shortStatement(relayed[1]!)})`;
  }
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

function shortStatement(query: string): string {
  const statement = query.replace(/\s+/g, " ").trim();
  return statement.length > 120 ? `${statement.slice(0, 120)}...` : statement;
}
