-- CreateTable
CREATE TABLE "CustomerAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "segment" TEXT NOT NULL DEFAULT '',
    "tier" TEXT NOT NULL DEFAULT 'standard',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Insight" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "text" TEXT NOT NULL,
    "accountId" TEXT,
    "channel" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "postedById" TEXT,
    "integrationId" TEXT,
    "externalId" TEXT,
    "sentimentScore" REAL NOT NULL,
    "sentimentLabel" TEXT NOT NULL,
    "sentimentAuto" TEXT NOT NULL,
    "sentimentOverriddenById" TEXT,
    "sentimentOverriddenAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'new',
    "priority" TEXT NOT NULL DEFAULT 'normal',
    "matchedRuleIds" TEXT NOT NULL DEFAULT '[]',
    "ackDueAt" DATETIME,
    "resolveDueAt" DATETIME,
    "acknowledgedAt" DATETIME,
    "acknowledgedById" TEXT,
    "resolvedAt" DATETIME,
    "resolutionNote" TEXT NOT NULL DEFAULT '',
    "ackBreachedAt" DATETIME,
    "resolveBreachedAt" DATETIME,
    "clusterId" TEXT,
    "questionId" TEXT,
    "documentId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Insight_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "CustomerAccount" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Insight_postedById_fkey" FOREIGN KEY ("postedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Insight_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "IntegrationToken" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Insight_acknowledgedById_fkey" FOREIGN KEY ("acknowledgedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Insight_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "InsightCluster" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InsightTag" (
    "insightId" TEXT NOT NULL,
    "skillId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,

    PRIMARY KEY ("insightId", "skillId", "kind"),
    CONSTRAINT "InsightTag_insightId_fkey" FOREIGN KEY ("insightId") REFERENCES "Insight" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "InsightTag_skillId_fkey" FOREIGN KEY ("skillId") REFERENCES "Skill" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InsightRoute" (
    "insightId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "ruleId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("insightId", "teamId"),
    CONSTRAINT "InsightRoute_insightId_fkey" FOREIGN KEY ("insightId") REFERENCES "Insight" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "InsightRoute_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InsightEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "insightId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "actorId" TEXT,
    "fromValue" TEXT,
    "toValue" TEXT,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InsightEvent_insightId_fkey" FOREIGN KEY ("insightId") REFERENCES "Insight" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "InsightEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InsightCluster" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RoutingRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "conditions" TEXT NOT NULL DEFAULT '{}',
    "priority" TEXT NOT NULL DEFAULT 'normal',
    "ackWithinMinutes" INTEGER NOT NULL,
    "resolveWithinMinutes" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RoutingRuleTeam" (
    "ruleId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,

    PRIMARY KEY ("ruleId", "teamId"),
    CONSTRAINT "RoutingRuleTeam_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "RoutingRule" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RoutingRuleTeam_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InsightSettings" (
    "id" TEXT NOT NULL PRIMARY KEY DEFAULT 'global',
    "matchMode" TEXT NOT NULL DEFAULT 'first',
    "triageTeamId" TEXT,
    "triageAckMinutes" INTEGER NOT NULL DEFAULT 240,
    "triageResolveMinutes" INTEGER NOT NULL DEFAULT 4320,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "InsightSettings_triageTeamId_fkey" FOREIGN KEY ("triageTeamId") REFERENCES "Team" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RuleAudit" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ruleId" TEXT,
    "action" TEXT NOT NULL,
    "actorId" TEXT,
    "before" TEXT,
    "after" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RuleAudit_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SpikeAlert" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "skillId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "baseline" REAL NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SpikeAlert_skillId_fkey" FOREIGN KEY ("skillId") REFERENCES "Skill" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SpikeAlert_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IntegrationToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    "lastUsedAt" DATETIME,
    CONSTRAINT "IntegrationToken_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "CustomerAccount_name_key" ON "CustomerAccount"("name");

-- CreateIndex
CREATE INDEX "Insight_createdAt_idx" ON "Insight"("createdAt");

-- CreateIndex
CREATE INDEX "Insight_status_idx" ON "Insight"("status");

-- CreateIndex
CREATE INDEX "Insight_accountId_idx" ON "Insight"("accountId");

-- CreateIndex
CREATE INDEX "Insight_clusterId_idx" ON "Insight"("clusterId");

-- CreateIndex
CREATE INDEX "Insight_ackDueAt_idx" ON "Insight"("ackDueAt");

-- CreateIndex
CREATE INDEX "Insight_resolveDueAt_idx" ON "Insight"("resolveDueAt");

-- CreateIndex
CREATE UNIQUE INDEX "Insight_integrationId_externalId_key" ON "Insight"("integrationId", "externalId");

-- CreateIndex
CREATE INDEX "InsightTag_skillId_idx" ON "InsightTag"("skillId");

-- CreateIndex
CREATE INDEX "InsightRoute_teamId_createdAt_idx" ON "InsightRoute"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "InsightEvent_insightId_createdAt_idx" ON "InsightEvent"("insightId", "createdAt");

-- CreateIndex
CREATE INDEX "InsightCluster_lastSeenAt_idx" ON "InsightCluster"("lastSeenAt");

-- CreateIndex
CREATE INDEX "RoutingRule_position_idx" ON "RoutingRule"("position");

-- CreateIndex
CREATE INDEX "RoutingRuleTeam_teamId_idx" ON "RoutingRuleTeam"("teamId");

-- CreateIndex
CREATE INDEX "RuleAudit_ruleId_idx" ON "RuleAudit"("ruleId");

-- CreateIndex
CREATE INDEX "RuleAudit_createdAt_idx" ON "RuleAudit"("createdAt");

-- CreateIndex
CREATE INDEX "SpikeAlert_skillId_teamId_createdAt_idx" ON "SpikeAlert"("skillId", "teamId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "IntegrationToken_tokenHash_key" ON "IntegrationToken"("tokenHash");

