-- One token system (see docs/decisions/056-one-token-system.md). Every insights ingest token becomes
-- an integration API token with the "insights:ingest" scope. Ids and hashes are kept, so the secrets
-- already handed to integrations keep working and insights keep pointing at their token. A token
-- whose creator was deleted is owned by the earliest admin; with no admin at all it cannot be
-- carried over and its insights simply lose the link (as if the token had been deleted).
INSERT INTO "ApiToken" ("id", "name", "kind", "ownerId", "tokenHash", "prefix", "scopes", "createdAt", "expiresAt", "lastUsedAt", "revokedAt")
SELECT t."id", t."name", 'integration',
       COALESCE(t."createdById", (SELECT u."id" FROM "User" u WHERE u."role" = 'admin' ORDER BY u."createdAt" LIMIT 1)),
       t."tokenHash", t."prefix", 'insights:ingest', t."createdAt", NULL, t."lastUsedAt", t."revokedAt"
FROM "IntegrationToken" t
WHERE COALESCE(t."createdById", (SELECT u."id" FROM "User" u WHERE u."role" = 'admin' ORDER BY u."createdAt" LIMIT 1)) IS NOT NULL;

UPDATE "Insight" SET "integrationId" = NULL
WHERE "integrationId" IS NOT NULL AND "integrationId" NOT IN (SELECT "id" FROM "ApiToken");

-- DropIndex
DROP INDEX "IntegrationToken_tokenHash_key";

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "IntegrationToken";
PRAGMA foreign_keys=on;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Insight" (
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
    CONSTRAINT "Insight_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "ApiToken" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Insight_acknowledgedById_fkey" FOREIGN KEY ("acknowledgedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Insight_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "InsightCluster" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Insight" ("accountId", "ackBreachedAt", "ackDueAt", "acknowledgedAt", "acknowledgedById", "channel", "clusterId", "createdAt", "documentId", "externalId", "id", "integrationId", "matchedRuleIds", "postedById", "priority", "questionId", "resolutionNote", "resolveBreachedAt", "resolveDueAt", "resolvedAt", "sentimentAuto", "sentimentLabel", "sentimentOverriddenAt", "sentimentOverriddenById", "sentimentScore", "sourceUrl", "status", "text", "updatedAt") SELECT "accountId", "ackBreachedAt", "ackDueAt", "acknowledgedAt", "acknowledgedById", "channel", "clusterId", "createdAt", "documentId", "externalId", "id", "integrationId", "matchedRuleIds", "postedById", "priority", "questionId", "resolutionNote", "resolveBreachedAt", "resolveDueAt", "resolvedAt", "sentimentAuto", "sentimentLabel", "sentimentOverriddenAt", "sentimentOverriddenById", "sentimentScore", "sourceUrl", "status", "text", "updatedAt" FROM "Insight";
DROP TABLE "Insight";
ALTER TABLE "new_Insight" RENAME TO "Insight";
CREATE INDEX "Insight_createdAt_idx" ON "Insight"("createdAt");
CREATE INDEX "Insight_status_idx" ON "Insight"("status");
CREATE INDEX "Insight_accountId_idx" ON "Insight"("accountId");
CREATE INDEX "Insight_clusterId_idx" ON "Insight"("clusterId");
CREATE INDEX "Insight_ackDueAt_idx" ON "Insight"("ackDueAt");
CREATE INDEX "Insight_resolveDueAt_idx" ON "Insight"("resolveDueAt");
CREATE UNIQUE INDEX "Insight_integrationId_externalId_key" ON "Insight"("integrationId", "externalId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

