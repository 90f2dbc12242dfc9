import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The order files start in, which decides how long the suite takes on two cores.
 *
 * Vitest runs projects in name order ("node" before "workers"), so the Worker files, which hold
 * nearly all of the suite's time, waited for the node files to finish (workerd started 40 s in). And
 * without a timing cache (a fresh clone, as in CI) it starts larger files first, so the longest file
 * of all, the 1,000-payout batches (about 50 s, 4 KB), started last and ran alone at the end.
 * Here: the files known to run longest first, then the Worker files, then the node files, each group
 * in vitest's own order (longest in the last run first, else largest).
 */
const longest = ["test/lifecycle/batch-1000.test.ts"];

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) =>
      longest.some((path) => spec.moduleId.endsWith(path)) ? 0 : spec.project.name === "workers" ? 1 : 2;
    return sorted
      .map((spec, i) => ({ spec, i }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.i - b.i)
      .map(({ spec }) => spec);
  }
}
