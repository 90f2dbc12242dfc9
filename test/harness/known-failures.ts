// Failures the harness finds that belong to another branch's open fix. Each entry names the
// operation, how the input was made and the status seen; matching findings are counted and
// printed but do not fail the run. Remove an entry once its fix is merged (the coordinator's
// merge of that branch): the harness then holds the fix in place.
export const knownFailures: { op: RegExp; input: RegExp; status: number; why: string }[] = [
  {
    op: /.*/,
    input:
      /(add unknown field (\S+\.)?"(__proto__|constructor|toString|hasOwnProperty|valueOf|isPrototypeOf|propertyIsEnumerable|toLocaleString)"|query (__proto__|constructor|toString|hasOwnProperty)=)/,
    status: 500,
    why: 'fieldErrors() in src/http/errors.ts builds the fields map on a plain object, so a field named like an Object.prototype member ("__proto__", "toString", ...) throws \'fields[key].push is not a function\': a 500 instead of a 400. Being fixed on another helper\'s branch.',
  },
];

export function knownFailure(op: string, what: string[], status: number): boolean {
  return knownFailures.some((k) => k.op.test(op) && k.status === status && what.some((w) => k.input.test(w)));
}
