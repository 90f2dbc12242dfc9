// Fuzzes the payouts operations (test/harness/fuzz.ts); the files run side by side.
import { fuzzOperations } from "./fuzz";

await fuzzOperations("payouts");
