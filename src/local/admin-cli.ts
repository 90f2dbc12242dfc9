// `npm run admin -- <command>`: businesses, API keys, funding and the payouts switch.
import { CommandError, parseCommand, runCommand, UsageError, usage } from "./admin-commands";
import { connect } from "./connect";

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    // --help, or no command at all: the usage is the answer. Any other mistake: what is wrong, in one line.
    if (!err.message || argv.length === 0) {
      (err.message ? console.error : console.log)(usage);
      return err.message ? 2 : 0;
    }
    console.error(`error: ${err.message}\n(npm run admin -- --help lists the commands)`);
    return 2;
  }
  const conn = await connect();
  try {
    console.log(JSON.stringify(await runCommand(parsed.command, parsed.values, conn), null, 2));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`error: ${err.message}\n(npm run admin -- --help lists the commands)`);
      return 2;
    }
    if (err instanceof CommandError) {
      console.error(`error: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await conn.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
