/**
 * The demo documents and how each came to be: every version is Markdown written by the people
 * named, on the day given (days before "now"). The seed replays the versions as edits in one Yjs
 * document, so each revision in History is a real earlier state and the last version is today's.
 */

export interface DocVersion {
  daysAgo: number;
  /** Names of the people who edited in this burst; the last one named edited last. */
  by: string[];
  markdown: string;
}

export interface DocSeed {
  key: string;
  title: string;
  /** Owner, by demo login email or by name. */
  owner: { email: string } | { name: string };
  /** "company" for the company space; otherwise the owner's department's space. */
  space: "company" | "owner";
  visibility: "company" | "department";
  parent?: string;
  /** Shared with these (as editors). */
  shares?: ({ department: string } | { team: string })[];
  versions: DocVersion[];
}

const WELCOME_V1 = `# Welcome to Docs

Docs are pages everyone in a space can write together.

## Tips

- Markdown shortcuts work as you type: \`#\` for a heading, \`-\` for a list.
- Type \`@\` to mention a colleague.`;

const WELCOME_V2 = `# Welcome to Docs

Docs are pages everyone in a space can write together, live. Type and see your colleagues' cursors as they type too.

## Tips

- Markdown shortcuts work as you type: \`#\` for a heading, \`-\` for a list, \`[]\` for a check list, \`>\` for a quote.
- Select text and press **Comment** to discuss it; type \`@\` to mention a colleague.
- Lost your connection? Keep typing: your edits sync when you are back.`;

const WELCOME = `# Welcome to Docs

Docs are pages everyone in a space can write together, live. Type and see your colleagues' cursors as they type too.

## Tips

- Markdown shortcuts work as you type: \`#\` for a heading, \`-\` for a list, \`[]\` for a check list, \`>\` for a quote.
- Select text and press **Comment** to discuss it; type \`@\` to mention a colleague.
- Lost your connection? Keep typing: your edits sync when you are back.
- **History** shows earlier revisions; restoring one is a new change everyone sees.`;

const LAUNCH_V1 = `# Q3 launch brief

Marketing is planning the launch of the new invoicing experience for early July.

## Goals

- [ ] Agree the launch date
- [ ] Final pricing page copy

## Audience

Finance teams at mid-size companies.`;

const LAUNCH_V2 = `# Q3 launch brief

Marketing and Product are launching the new invoicing experience on **1 July**.

## Goals

- [x] Agree the launch date
- [ ] Final pricing page copy
- [ ] Customer webinar

## Audience

Finance teams at mid-size companies who told us invoices were *confusing*.`;

const LAUNCH = `# Q3 launch brief

Marketing and Product are launching the new invoicing experience on **1 July**.

## Goals

- [x] Agree the launch date
- [ ] Final pricing page copy
- [ ] Customer webinar

## Audience

Finance teams at mid-size companies who told us invoices were *confusing*.

## Timeline

| Week | Marketing | Product |
| --- | --- | --- |
| 24 | Teaser campaign | Beta feedback |
| 26 | Launch post | General availability |`;

const CHECKLIST_V1 = `# Launch checklist

1. Release notes drafted
2. Support team briefed`;

const CHECKLIST = `# Launch checklist

1. Release notes reviewed
2. Support team briefed
3. Status page updated`;

const RUNBOOK_V1 = `# Platform on-call runbook

## Deploys

\`\`\`sh
npm run deploy -- --canary
\`\`\``;

const RUNBOOK = `# Platform on-call runbook

> When in doubt, page the on-call lead.

## Deploys

\`\`\`sh
npm run deploy -- --canary
\`\`\`

## Rollback

Use the previous image tag; never rewrite the database migrations.`;

export const DOCUMENTS: DocSeed[] = [
  {
    key: "welcome",
    title: "Welcome to Docs",
    owner: { email: "admin@atrium.test" },
    space: "company",
    visibility: "company",
    versions: [
      { daysAgo: 34, by: ["Nadia Haddad"], markdown: WELCOME_V1 },
      { daysAgo: 13, by: ["Aisha Bello", "Nadia Haddad"], markdown: WELCOME_V2 },
      { daysAgo: 2, by: ["Nadia Haddad", "Leo Novak"], markdown: WELCOME },
    ],
  },
  {
    key: "brief",
    title: "Q3 launch brief",
    owner: { name: "Harriet Blake" },
    space: "owner",
    visibility: "department",
    shares: [{ department: "Product" }, { team: "Launch Squad" }],
    versions: [
      { daysAgo: 37, by: ["Harriet Blake"], markdown: LAUNCH_V1 },
      { daysAgo: 15, by: ["Zoe Anderson", "Harriet Blake"], markdown: LAUNCH_V2 },
      { daysAgo: 1.5, by: ["Harriet Blake", "Zoe Anderson"], markdown: LAUNCH },
    ],
  },
  {
    key: "checklist",
    title: "Launch checklist",
    owner: { name: "Harriet Blake" },
    space: "owner",
    visibility: "department",
    parent: "brief",
    versions: [
      { daysAgo: 20, by: ["Harriet Blake"], markdown: CHECKLIST_V1 },
      { daysAgo: 3, by: ["Grace Tan", "Harriet Blake"], markdown: CHECKLIST },
    ],
  },
  {
    key: "runbook",
    title: "Platform on-call runbook",
    owner: { email: "member@atrium.test" },
    space: "owner",
    visibility: "department",
    versions: [
      { daysAgo: 26, by: ["Leo Novak"], markdown: RUNBOOK_V1 },
      { daysAgo: 4, by: ["Rahul Desai", "Leo Novak"], markdown: RUNBOOK },
    ],
  },
];
