/**
 * The areas `npm run test:mutation` scores, each with the code it mutates and the test files
 * that must kill those mutants (only these run, so each area finishes on a shared 2-core machine).
 */
export const areas = {
  policy: {
    mutate: ["server/policy.ts"],
    testFiles: ["tests/server/policy.test.ts", "tests/server/docs/policy-docs.test.ts", "tests/server/platform/policy.test.ts", "tests/server/questions/policy.test.ts"],
    goal: 85,
  },
  collab: {
    mutate: ["server/collab/**/*.ts"],
    testFiles: ["tests/server/docs/persistence.test.ts", "tests/server/docs/collab-sync.test.ts", "tests/server/docs/sections.test.ts", "tests/server/docs/markdown-underline.test.ts"],
    goal: 85,
  },
  // The domain verbs of one capability at a time would take hours all together; these are the
  // verbs whose tests this suite strengthened (Q&A answers and the audit log).
  domain: {
    mutate: ["server/domain/audit.ts", "server/domain/questions.ts:287-360"],
    testFiles: ["tests/server/platform/audit.test.ts", "tests/server/questions/edit-answer.test.ts", "tests/server/questions/questions.test.ts"],
    goal: 70,
  },
};
