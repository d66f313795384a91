/**
 * The areas `npm run test:mutation` scores, each with the code it mutates and the test files
 * that must kill those mutants (only these run, so each area finishes on a shared 2-core machine).
 * The domain verbs are split by capability: together they are thousands of mutants (hours), one
 * capability is minutes to an hour. Presenters, types and pure helpers are not verbs and stay out.
 */
export const areas = {
  policy: {
    mutate: ["server/policy.ts"],
    testFiles: ["tests/server/policy.test.ts", "tests/server/docs/policy-docs.test.ts", "tests/server/platform/policy.test.ts", "tests/server/questions/policy.test.ts"],
    goal: 85,
  },
  // The collaboration core in two runs of about the same length: the live path (service, update
  // log, validation) and the text side (headless Lexical binding, sections and diffs). Unit tests
  // only: the socket-level tests start an app per run and wait on real timers, several seconds
  // for each of ~500 mutants.
  collab: {
    mutate: ["server/collab/service.ts", "server/collab/update-log.ts", "server/collab/validate.ts"],
    testFiles: ["tests/server/docs/persistence.test.ts", "tests/server/docs/collab-core.test.ts", "tests/server/docs/collab-instances.test.ts", "tests/server/docs/collab-timing.test.ts", "tests/server/docs/collab-edge-cases.test.ts"],
    goal: 85,
  },
  "collab-text": {
    mutate: ["server/collab/headless.ts", "server/collab/sections.ts"],
    testFiles: ["tests/server/docs/sections.test.ts", "tests/server/docs/headless.test.ts", "tests/server/docs/markdown-underline.test.ts"],
    goal: 85,
  },
  "domain-platform": {
    mutate: ["server/domain/audit.ts", "server/domain/api-tokens.ts", "server/domain/webhooks.ts"],
    testFiles: ["tests/server/platform/audit.test.ts", "tests/server/platform/api.test.ts", "tests/server/platform/webhooks.test.ts", "tests/server/platform/admin-verbs.test.ts", "tests/server/platform/api-prepared-reads.test.ts"],
    goal: 70,
  },
  "domain-feed": {
    mutate: ["server/domain/reactions.ts", "server/domain/follows.ts", "server/domain/notifications.ts", "server/domain/feed.ts"],
    testFiles: ["tests/server/feed/reactions.test.ts", "tests/server/feed/feed.test.ts", "tests/server/domain/notifications.test.ts", "tests/server/feed/feed-verbs.test.ts", "tests/server/feed/feed-visibility.test.ts", "tests/server/feed/feed-recording.test.ts"],
    goal: 70,
  },
  "domain-questions": {
    mutate: ["server/domain/questions.ts"],
    testFiles: ["tests/server/questions/questions.test.ts", "tests/server/questions/edit-answer.test.ts", "tests/server/questions/linked-items.test.ts", "tests/server/questions/verbs.test.ts", "tests/server/questions/reads.test.ts"],
    goal: 70,
  },
  "domain-docs": {
    mutate: ["server/domain/docs.ts"],
    testFiles: ["tests/server/docs/docs-domain.test.ts", "tests/server/docs/comments-edit.test.ts", "tests/server/docs/revision-idempotent.test.ts", "tests/server/docs/doc-verbs.test.ts", "tests/server/docs/doc-comments-images.test.ts", "tests/server/docs/section-restore.test.ts", "tests/server/docs/doc-revisions.test.ts", "tests/server/docs/space-pages.test.ts", "tests/server/docs/space-counts.test.ts", "tests/server/docs/space-tree-cache.test.ts", "tests/server/docs/docs-reading-lists.test.ts", "tests/server/docs/docs-access-spaces.test.ts", "tests/server/docs/image-cleanup.test.ts", "tests/server/security/mention-labels.test.ts", "tests/server/security/markdown-export.test.ts", "tests/server/docs/docs-comments-mentions.test.ts", "tests/server/docs/comment-verbs.test.ts"],
    goal: 70,
  },
  // docs.ts's comments, mentions and Markdown verbs (decision 810) against the test files that
  // reach them, so a run over those lines does not wait on the whole area's first test run.
  "domain-docs-late": {
    mutate: ["server/domain/docs.ts"],
    testFiles: ["tests/server/docs/docs-domain.test.ts", "tests/server/docs/comments-edit.test.ts", "tests/server/docs/doc-comments-images.test.ts", "tests/server/docs/docs-comments-mentions.test.ts", "tests/server/security/mention-labels.test.ts", "tests/server/security/markdown-export.test.ts", "tests/server/docs/comment-verbs.test.ts"],
    goal: 70,
  },
  "domain-insights": {
    mutate: ["server/domain/insights.ts"],
    testFiles: ["tests/server/insights/lifecycle.test.ts", "tests/server/insights/reroute.test.ts", "tests/server/insights/api.test.ts", "tests/server/insights/feed-prepared-reads.test.ts", "tests/server/insights/verbs.test.ts", "tests/server/insights/suggested-team.test.ts"],
    goal: 70,
  },
  "domain-people": {
    mutate: ["server/domain/people.ts", "server/domain/accounts.ts", "server/domain/org.ts", "server/domain/skills.ts"],
    testFiles: ["tests/server/domain/people.test.ts", "tests/server/domain/people-directory.test.ts", "tests/server/domain/accounts.test.ts", "tests/server/domain/org.test.ts", "tests/server/domain/skills.test.ts"],
    goal: 70,
  },
  // The routing rules (the pure matcher and evaluation, the cached config, the admin verbs and
  // their audit, the test box and preview) and the SLA arithmetic with its sweep. Not the insight
  // lifecycle or the HTTP topic-rule tests: they start an app (or the pages) per test and post
  // insights, so every matcher mutant ran them for a minute; the sweep has its own tests.
  "domain-insight-routing": {
    mutate: ["server/domain/routing-rules.ts", "server/domain/sla.ts"],
    testFiles: ["tests/server/insights/rule-engine.test.ts", "tests/server/insights/sla.test.ts", "tests/server/insights/rules.test.ts", "tests/server/insights/rule-preview.test.ts", "tests/server/insights/routing-rules-verbs.test.ts", "tests/server/insights/sla-sweep.test.ts", "tests/server/insights/rule-test-box.test.ts"],
    goal: 70,
  },
  // Passwords (change, forgot-password and admin links, the strength policy) and single sign-on
  // (starting, the callback's checks, linking and creating people). The domain and HTTP tests
  // against a real mail sink and a real OpenID provider on loopback, seconds per file; not the
  // browser tests (tests/e2e) nor mail-on-request.test.ts (twenty seconds for one reset request).
  "domain-auth": {
    mutate: ["server/domain/passwords.ts", "server/domain/password-policy.ts", "server/domain/sso.ts"],
    testFiles: ["tests/server/domain/passwords.test.ts", "tests/server/domain/password-policy.test.ts", "tests/server/platform/passwords-http.test.ts", "tests/server/platform/sso.test.ts", "tests/server/platform/sso-relink.test.ts", "tests/server/platform/sso-provider.test.ts", "tests/server/security/redirects-sso.test.ts"],
    goal: 70,
  },
  // The HR directory import (CSV): the plan (refused rows, duplicates, managers and cycles, what
  // changes, who is deactivated), the commit and the staged uploads. Unit tests only: the command
  // line test spawns a process per test and the upload pages start the whole app.
  "domain-directory-import": {
    mutate: ["server/domain/directory-import.ts"],
    testFiles: ["tests/server/platform/directory-import.test.ts", "tests/server/platform/directory-import-plan.test.ts", "tests/server/platform/directory-import-staged.test.ts", "tests/server/platform/directory-import-commit.test.ts", "tests/server/security/token-deactivation.test.ts"],
    goal: 70,
  },
  // Recurring issues (the per-instance cluster index read from the database, joining and starting
  // clusters, names, trends, the list) and spike alerts. recurring-issues.test.ts calls the verbs on
  // rows written straight to the database, an app per test but no pages; clusters.test.ts has the
  // trend texts; rules.test.ts a spike raised by posting. Not lifecycle.test.ts, verbs.test.ts or
  // feed-prepared-reads.test.ts: every one of their tests posts insights (so covers findCluster and
  // checkSpikes) and they take over a minute together, for each of those mutants.
  "domain-insight-clusters": {
    mutate: ["server/domain/insight-clusters.ts"],
    testFiles: ["tests/server/insights/recurring-issues.test.ts", "tests/server/insights/clusters.test.ts", "tests/server/insights/rules.test.ts"],
    goal: 70,
  },
  // The email digest (what it holds, the sweep that sends due ones, previews, preferences) and the
  // involvement dashboard's verbs (scope permissions, the period, restricted breakdowns, CSV). The
  // digest tests run against a real SMTP sink; not mail-on-request.test.ts (it seeds the demo
  // organisation, and only checks that no mail goes out without SMTP_URL).
  "domain-digest-dashboard": {
    mutate: ["server/domain/digest.ts", "server/domain/dashboard.ts"],
    testFiles: ["tests/server/feed/digest.test.ts", "tests/server/feed/digest-periods.test.ts", "tests/server/dashboard/dashboard.test.ts", "tests/server/dashboard/dashboard-scope.test.ts"],
    goal: 70,
  },
  // Unified search (the page and the palette: the reader's teams, the filters handed to the index,
  // snippets cut from the current rows by Prisma or prepared SQL) and the API's people directory
  // (cursor pages, filters, deactivated people for admins only, one person by id).
  "domain-search-directory": {
    mutate: ["server/domain/search.ts", "server/domain/directory.ts"],
    testFiles: ["tests/server/search/search-verb.test.ts", "tests/server/search/search-live.test.ts", "tests/server/search/seed-search.test.ts", "tests/server/platform/directory.test.ts", "tests/server/platform/api.test.ts", "tests/server/platform/api-prepared-reads.test.ts"],
    goal: 70,
  },
  // Routing a question to colleagues (ranking blended with answer history, people who left
  // skipped, routes recorded and announced, a department asked) and the prepared SQL reads of the
  // question lists, "routed to me" and the question page. Every test that asks a question runs the
  // routing, so only the files about it: not verbs.test.ts (its routing-on-request cases are
  // restated in routing.test.ts; its other tests took a minute and a half for each routing
  // mutant), import.test.ts (a dump imported per test) or realtime.test.ts (sockets).
  "domain-qa-routing": {
    mutate: ["server/domain/qa-routing.ts", "server/domain/qa-reads.ts"],
    testFiles: ["tests/server/questions/routing.test.ts", "tests/server/questions/questions.test.ts", "tests/server/questions/reads.test.ts"],
    goal: 70,
  },
  // The expert-ranking blend (tag scores, the ranked list with its evidence, tag expertise and
  // answer history added together, the reasons in words and their "online now"). Pure code, so
  // only its unit tests: not routing.test.ts or linked-items.test.ts, which start an app per file.
  "domain-qa-ranking": {
    mutate: ["server/domain/qa-ranking.ts"],
    testFiles: ["tests/server/questions/ranking.test.ts"],
    goal: 70,
  },
};
