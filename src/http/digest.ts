// Moved to src/lib/digest.ts (hashing is neither HTTP nor business logic). This re-export only
// keeps src/local (another branch's files) compiling until its import is updated at merge.
export * from "../lib/digest";
