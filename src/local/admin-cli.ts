// `npm run admin -- <command>`: businesses, API keys, funding and the payouts switch.
import { connect } from "./connect";
import { parseCommand, runCommand, usage, UsageError } from "./admin-commands";

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCommand(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) console.error(`error: ${err.message}\n`);
    console.error(usage);
    return 2;
  }
  const conn = await connect();
  try {
    console.log(JSON.stringify(await runCommand(parsed.command, parsed.values, conn), null, 2));
    return 0;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`error: ${err.message}\n\n${usage}`);
    return 2;
  } finally {
    await conn.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
