// Fuzzes the webhooks operations (test/harness/fuzz.ts); the files run side by side.
import { fuzzOperations } from "./fuzz";

await fuzzOperations("webhooks");
