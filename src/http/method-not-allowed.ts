/**
 * Hono answers an unmatched method with 404. A client that used the wrong verb on a real
 * path deserves a 405 and an `Allow` header, so the app keeps a matcher of its routes.
 */
export function routeMethodIndex(routes: readonly { method: string; path: string }[]) {
  const byPattern = new Map<string, { re: RegExp; methods: Set<string> }>();
  for (const { method, path } of routes) {
    if (method === "ALL" || path.includes("*")) continue;
    let entry = byPattern.get(path);
    if (!entry) {
      const source = path
        .split("/")
        .map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
        .join("/");
      entry = { re: new RegExp(`^${source}/?$`), methods: new Set() };
      byPattern.set(path, entry);
    }
    entry.methods.add(method);
    if (method === "GET") entry.methods.add("HEAD");
  }
  /** The methods that path accepts, or an empty list when no route has that path. */
  return (path: string): string[] => {
    const allowed = new Set<string>();
    for (const { re, methods } of byPattern.values()) if (re.test(path)) methods.forEach((m) => allowed.add(m));
    return [...allowed].sort();
  };
}
