import type { PGlite } from "@electric-sql/pglite";
import { type DatabaseError, serialize } from "pg-protocol";
import type { BackendMessage } from "pg-protocol/dist/messages";
import { Parser } from "pg-protocol/dist/parser";
import type { RawResult, SqlQuery } from "../backend";

/**
 * The errors after which the prepared statements are forgotten and the message is sent again once:
 * a statement closed behind our back (26000, by DEALLOCATE or DISCARD), and "cached plan must not
 * change result type" (0A000, after DDL changed a table that a statement reads). Both are raised
 * at Bind, before that statement runs, and the failed message's transaction is rolled back: the
 * retry is safe.
 */
/** Planning as Neon plans its unnamed statements: for each execution's parameters (see below). */
const sessionSettings = "SET plan_cache_mode = force_custom_plan";

function staleStatement(error: DatabaseError | undefined): boolean {
  return error?.code === "26000" || (error?.code === "0A000" && /cached plan must not change result type/.test(error.message));
}

/**
 * Queries run on PGlite as one wire-protocol message each: Bind, Describe, Execute and Sync
 * (a batch: BEGIN, every query, COMMIT, then one Sync) handed to the database in a single call.
 * `PGlite.query` sends a statement in six calls into the WebAssembly backend (it also asks for the
 * parameter types, to pick its serializers, which the driver's text input does not need), and its
 * `transaction` three and more per query: twice the CPU per query, measured on a keyed SELECT
 * (0.34 against 0.17 ms), and PGlite's CPU was most of the local SQL server's.
 *
 * Each distinct parameterized SQL text is parsed once, as a named prepared statement, and later
 * messages only Bind it: Postgres then skips parsing and analysis (a keyed read's SELECT: 0.34 →
 * 0.23 ms of PGlite's CPU). It still plans every execution for its parameters
 * (`plan_cache_mode = force_custom_plan`), as it does for the unnamed statements Neon's HTTP
 * endpoint runs in production: a generic plan (0.16 ms) would pick plans production never does,
 * such as passing over a partial index whose predicate a parameter decides. This is the local
 * stand-in's cost, not Disburse's. What Postgres answers is unchanged: the same texts, parameter
 * types inferred as before, text in, text out.
 * `pg-protocol` (node-postgres' own protocol code) writes the messages and reads the answer.
 */
export class PgliteWire {
  /** SQL text → statement name, least recently used first. */
  private readonly prepared = new Map<string, string>();
  /** Evicted statements, closed at the start of the next message. */
  private closing: string[] = [];
  private nextName = 1;
  /** The session setting above, made by the first message (and again after `forgetAll`). */
  private configured = false;

  /** `maxPrepared`: statements kept; the least recently used beyond that are closed. */
  constructor(
    private readonly db: PGlite,
    private readonly maxPrepared = 500,
  ) {}

  async run(queries: SqlQuery[], transactionModes?: string): Promise<RawResult[]> {
    const inTransaction = transactionModes !== undefined;
    const statements = inTransaction
      ? [{ query: `BEGIN ${transactionModes}`, params: [] }, ...queries, { query: "COMMIT", params: [] }]
      : queries;
    // One caller at a time, as with PGlite.query: a failed batch must be rolled back before anyone
    // else's statement runs in its aborted transaction, and the prepared statements are shared.
    return this.db.runExclusive(async () => {
      if (!this.configured) {
        // Outside any transaction (a SET inside one that rolls back is undone).
        await this.exchange(serialize.query(sessionSettings));
        this.configured = true;
      }
      let answer = await this.send(statements);
      if (staleStatement(answer.error)) {
        await this.forgetAll();
        answer = await this.send(statements);
      }
      const { results, error } = answer;
      if (error) throw error;
      if (results.length !== statements.length) throw new Error(`PGlite answered ${results.length} of ${statements.length} statements`);
      return inTransaction ? results.slice(1, -1) : results;
    });
  }

  /** One message for the statements; a transaction the message left open (failed) is rolled back. */
  private async send(statements: SqlQuery[]): Promise<Answer> {
    const parts: Buffer[] = this.closing.map((name) => serialize.close({ type: "S", name }));
    this.closing = [];
    /** Every Parse in this message, in order: the named ones as [text, name]. */
    const parses: ([string, string] | undefined)[] = [];
    const parsing = new Map<string, string>();
    for (const q of statements) {
      // Texts without parameters (DDL, BEGIN, one-off statements) are not worth a prepared statement.
      let name = q.params.length > 0 ? (this.prepared.get(q.query) ?? parsing.get(q.query)) : "";
      if (name === undefined) {
        name = `disburse_${this.nextName++}`;
        parsing.set(q.query, name);
        parses.push([q.query, name]);
        parts.push(serialize.parse({ name, text: q.query }));
      } else if (name === "") {
        parses.push(undefined);
        parts.push(serialize.parse({ text: q.query }));
      } else if (this.prepared.delete(q.query)) {
        this.prepared.set(q.query, name); // most recently used
      }
      // The driver serialized every parameter to Postgres text input already (strings, or null).
      const values = q.params.map((p) => (p === null || p === undefined ? null : String(p)));
      parts.push(serialize.bind({ statement: name, values }), serialize.describe({ type: "P" }), serialize.execute());
    }
    parts.push(serialize.sync());
    const answer = read(await this.exchange(Buffer.concat(parts)));
    // Postgres stops at the first error: the statements it parsed are the first ones sent. Prepared
    // statements outlive a rolled-back transaction, so each of those exists now.
    for (const named of parses.slice(0, answer.parsed)) if (named) this.remember(...named);
    // A failed statement leaves an explicit transaction aborted ("E") until it is rolled back.
    if (answer.status !== "I") await this.exchange(serialize.query("ROLLBACK"));
    return answer;
  }

  /**
   * Sends one message and returns the answer's bytes. Not `execProtocolRaw`: it also parses every
   * answer itself and keeps each parsed message in a list that only `execProtocol` empties, so the
   * server's heap grew by every row it ever returned (about 18 KiB per 50-row answer) and each query
   * cost twice the CPU (0.19 against 0.40 ms for 50 rows). The raw stream hands over the bytes only.
   */
  private async exchange(message: Uint8Array): Promise<Buffer> {
    const chunks: Buffer[] = [];
    // Each chunk is a view of PGlite's own buffer, reused afterwards: copied.
    await this.db.execProtocolRawStream(message, { onRawData: (data) => chunks.push(Buffer.from(data)) });
    return chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
  }

  private remember(text: string, name: string): void {
    this.prepared.set(text, name);
    if (this.prepared.size <= this.maxPrepared) return;
    for (const [oldest, oldName] of this.prepared) {
      this.prepared.delete(oldest);
      this.closing.push(oldName);
      break;
    }
  }

  private async forgetAll(): Promise<void> {
    this.prepared.clear();
    this.closing = [];
    // DISCARD ALL, one way to lose the statements, also resets the session's settings.
    await this.exchange(serialize.query(`DEALLOCATE ALL; ${sessionSettings}`));
  }
}

interface Answer {
  /** The results of the Execute messages, in order. */
  results: RawResult[];
  /** The first error: Postgres skips everything after it until the Sync. */
  error: DatabaseError | undefined;
  /** The transaction status at Sync: "I" idle, "E" failed, "T" open. */
  status: string;
  /** How many Parse messages succeeded. */
  parsed: number;
}

function read(answer: Buffer): Answer {
  const out: Answer = { results: [], error: undefined, status: "", parsed: 0 };
  let current: RawResult = empty();
  new Parser().parse(answer, (msg: BackendMessage) => {
    const m = msg as BackendMessage & Record<string, unknown>;
    switch (msg.name) {
      case "parseComplete":
        out.parsed++;
        break;
      case "rowDescription":
        current.fields = (m.fields as { name: string; dataTypeID: number }[]).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID }));
        break;
      case "dataRow":
        current.rows.push(m.fields as (string | null)[]);
        break;
      case "commandComplete":
        Object.assign(current, commandTag(m.text as string));
        out.results.push(current);
        current = empty();
        break;
      case "emptyQuery":
        out.results.push(current);
        current = empty();
        break;
      case "error":
        out.error ??= msg as DatabaseError;
        break;
      case "readyForQuery":
        out.status = m.status as string;
        break;
    }
  });
  return out;
}

function empty(): RawResult {
  return { fields: [], rows: [], command: "", rowCount: 0 };
}

/** "INSERT 0 2" → INSERT, 2; "SELECT 5" → SELECT, 5; "BEGIN" → BEGIN, 0 (node-postgres reads it the same way). */
function commandTag(text: string): { command: string; rowCount: number } {
  const m = /^([A-Za-z]+)(?: (\d+))?(?: (\d+))?/.exec(text);
  if (!m) return { command: "", rowCount: 0 };
  return { command: m[1] ?? "", rowCount: Number(m[3] ?? m[2] ?? 0) };
}
