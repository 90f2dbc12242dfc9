// Plain JavaScript so the vitest config can import it without a loader.
// The files the Worker serves as static assets (wrangler.toml [assets], ./build/assets), copied
// out of node_modules so their version is the one package-lock.json pins and /docs works
// offline. build/ is not committed: `npm run assets` makes it, and so do everything that starts
// the Worker (startLocalWorker, the vitest config) and `npm run deploy`.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const assetsDir = join(root, "build", "assets");

/** Source in node_modules -> path under build/assets (what the Worker serves it as). @type {[string, string][]} */
const files = [
  // The package's exports map hides dist/browser, so it is read from its folder.
  ["node_modules/@scalar/api-reference/dist/browser/standalone.js", "docs/assets/scalar-api-reference.js"],
];

/** Copies the assets into build/assets (only what changed). */
export function buildAssets() {
  for (const [from, to] of files) {
    const source = join(root, from);
    const target = join(assetsDir, to);
    // Copy only when the installed file changed: cheap enough to run before every start.
    if (existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs && statSync(target).size === statSync(source).size)
      continue;
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(source, target);
  }
  const scalar = JSON.parse(readFileSync(join(root, "node_modules/@scalar/api-reference/package.json"), "utf8"));
  writeFileSync(join(assetsDir, "docs/assets/VERSION"), `@scalar/api-reference ${scalar.version}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) buildAssets();
