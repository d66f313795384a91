-- PostgreSQL baseline: the whole model of prisma/schema.prisma as of the SQLite migrations up to
-- 20261203140000_password_tokens. The tables and indexes are `prisma migrate diff --from-empty
-- --to-schema-datamodel prisma/postgresql/schema.prisma --script`; the triggers at the end are
-- hand-written ports of the SQLite ones (Prisma does not model triggers; keep them when regenerating).

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT,
    "role" TEXT NOT NULL DEFAULT 'member',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "title" TEXT NOT NULL DEFAULT '',
    "departmentId" TEXT,
    "managerId" TEXT,
    "location" TEXT NOT NULL DEFAULT '',
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "pronouns" TEXT NOT NULL DEFAULT '',
    "bio" TEXT NOT NULL DEFAULT '',
    "links" TEXT NOT NULL DEFAULT '[]',
    "photoPath" TEXT,
    "statusText" TEXT NOT NULL DEFAULT '',
    "statusEmoji" TEXT NOT NULL DEFAULT '',
    "statusUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deactivatedAt" TIMESTAMP(3),

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userAgent" TEXT NOT NULL DEFAULT '',
    "ip" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PasswordToken" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "PasswordToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Department" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Department_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Team" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "departmentId" TEXT,
    "leadId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamMembership" (
    "userId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TeamMembership_pkey" PRIMARY KEY ("userId","teamId")
);

-- CreateTable
CREATE TABLE "Skill" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "label" TEXT NOT NULL,

    CONSTRAINT "Skill_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SkillSynonym" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "skillId" TEXT NOT NULL,

    CONSTRAINT "SkillSynonym_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserSkill" (
    "userId" TEXT NOT NULL,
    "skillId" TEXT NOT NULL,
    "level" TEXT NOT NULL,

    CONSTRAINT "UserSkill_pkey" PRIMARY KEY ("userId","skillId")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "link" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerAccount" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "segment" TEXT NOT NULL DEFAULT '',
    "tier" TEXT NOT NULL DEFAULT 'standard',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Insight" (
    "id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "accountId" TEXT,
    "channel" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "postedById" TEXT,
    "integrationId" TEXT,
    "externalId" TEXT,
    "sentimentScore" DOUBLE PRECISION NOT NULL,
    "sentimentLabel" TEXT NOT NULL,
    "sentimentAuto" TEXT NOT NULL,
    "sentimentOverriddenById" TEXT,
    "sentimentOverriddenAt" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'new',
    "priority" TEXT NOT NULL DEFAULT 'normal',
    "matchedRuleIds" TEXT NOT NULL DEFAULT '[]',
    "ackDueAt" TIMESTAMP(3),
    "resolveDueAt" TIMESTAMP(3),
    "acknowledgedAt" TIMESTAMP(3),
    "acknowledgedById" TEXT,
    "resolvedAt" TIMESTAMP(3),
    "resolutionNote" TEXT NOT NULL DEFAULT '',
    "ackBreachedAt" TIMESTAMP(3),
    "resolveBreachedAt" TIMESTAMP(3),
    "clusterId" TEXT,
    "questionId" TEXT,
    "documentId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Insight_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InsightTag" (
    "insightId" TEXT NOT NULL,
    "skillId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,

    CONSTRAINT "InsightTag_pkey" PRIMARY KEY ("insightId","skillId","kind")
);

-- CreateTable
CREATE TABLE "InsightRoute" (
    "insightId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "ruleId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InsightRoute_pkey" PRIMARY KEY ("insightId","teamId")
);

-- CreateTable
CREATE TABLE "InsightEvent" (
    "id" TEXT NOT NULL,
    "insightId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "actorId" TEXT,
    "fromValue" TEXT,
    "toValue" TEXT,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InsightEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InsightCluster" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InsightCluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoutingRule" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "conditions" TEXT NOT NULL DEFAULT '{}',
    "priority" TEXT NOT NULL DEFAULT 'normal',
    "ackWithinMinutes" INTEGER NOT NULL,
    "resolveWithinMinutes" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoutingRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoutingRuleTeam" (
    "ruleId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,

    CONSTRAINT "RoutingRuleTeam_pkey" PRIMARY KEY ("ruleId","teamId")
);

-- CreateTable
CREATE TABLE "InsightSettings" (
    "id" TEXT NOT NULL DEFAULT 'global',
    "matchMode" TEXT NOT NULL DEFAULT 'first',
    "triageTeamId" TEXT,
    "triageAckMinutes" INTEGER NOT NULL DEFAULT 240,
    "triageResolveMinutes" INTEGER NOT NULL DEFAULT 4320,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InsightSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RuleAudit" (
    "id" TEXT NOT NULL,
    "ruleId" TEXT,
    "action" TEXT NOT NULL,
    "actorId" TEXT,
    "before" TEXT,
    "after" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RuleAudit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SpikeAlert" (
    "id" TEXT NOT NULL,
    "skillId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "baseline" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SpikeAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Question" (
    "id" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "bodyJson" TEXT NOT NULL,
    "bodyText" TEXT NOT NULL,
    "departmentId" TEXT,
    "documentId" TEXT,
    "insightId" TEXT,
    "score" INTEGER NOT NULL DEFAULT 0,
    "baseScore" INTEGER NOT NULL DEFAULT 0,
    "answerCount" INTEGER NOT NULL DEFAULT 0,
    "acceptedAnswerId" TEXT,
    "duplicateOfId" TEXT,
    "closedAt" TIMESTAMP(3),
    "closedById" TEXT,
    "deletedAt" TIMESTAMP(3),
    "deletedById" TEXT,
    "deleteReason" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "editedAt" TIMESTAMP(3),
    "lastActivityAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "importSource" TEXT,
    "importId" TEXT,

    CONSTRAINT "Question_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuestionTag" (
    "questionId" TEXT NOT NULL,
    "skillId" TEXT NOT NULL,

    CONSTRAINT "QuestionTag_pkey" PRIMARY KEY ("questionId","skillId")
);

-- CreateTable
CREATE TABLE "Answer" (
    "id" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "bodyJson" TEXT NOT NULL,
    "bodyText" TEXT NOT NULL,
    "score" INTEGER NOT NULL DEFAULT 0,
    "baseScore" INTEGER NOT NULL DEFAULT 0,
    "acceptedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "editedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "deletedById" TEXT,
    "deleteReason" TEXT NOT NULL DEFAULT '',
    "importSource" TEXT,
    "importId" TEXT,

    CONSTRAINT "Answer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QaComment" (
    "id" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "answerId" TEXT,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" TIMESTAMP(3),
    "deletedById" TEXT,
    "importSource" TEXT,
    "importId" TEXT,

    CONSTRAINT "QaComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuestionVote" (
    "userId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "votedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QuestionVote_pkey" PRIMARY KEY ("userId","questionId")
);

-- CreateTable
CREATE TABLE "AnswerVote" (
    "userId" TEXT NOT NULL,
    "answerId" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "votedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnswerVote_pkey" PRIMARY KEY ("userId","answerId")
);

-- CreateTable
CREATE TABLE "PostRevision" (
    "id" TEXT NOT NULL,
    "questionId" TEXT,
    "answerId" TEXT,
    "number" INTEGER NOT NULL,
    "authorId" TEXT NOT NULL,
    "title" TEXT,
    "tags" TEXT NOT NULL DEFAULT '[]',
    "bodyJson" TEXT NOT NULL,
    "bodyText" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PostRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TagInfo" (
    "skillId" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TagInfo_pkey" PRIMARY KEY ("skillId")
);

-- CreateTable
CREATE TABLE "TagFollow" (
    "userId" TEXT NOT NULL,
    "skillId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TagFollow_pkey" PRIMARY KEY ("userId","skillId")
);

-- CreateTable
CREATE TABLE "QuestionFollow" (
    "userId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QuestionFollow_pkey" PRIMARY KEY ("userId","questionId")
);

-- CreateTable
CREATE TABLE "QuestionRoute" (
    "id" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "score" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "requestedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QuestionRoute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportedIdentity" (
    "source" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    CONSTRAINT "ImportedIdentity_pkey" PRIMARY KEY ("source","externalId")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL DEFAULT '',
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL DEFAULT '',
    "targetId" TEXT NOT NULL DEFAULT '',
    "summary" TEXT NOT NULL,
    "details" TEXT NOT NULL DEFAULT '{}',
    "ip" TEXT NOT NULL DEFAULT '',
    "userAgent" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Webhook" (
    "id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "secret" TEXT NOT NULL,
    "events" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "lastAttemptAt" TIMESTAMP(3),
    "lastStatusCode" INTEGER,
    "lastResponse" TEXT NOT NULL DEFAULT '',
    "lastError" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExternalIdentity" (
    "id" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "email" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSignInAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExternalIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OidcTransaction" (
    "id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "codeVerifier" TEXT NOT NULL,
    "redirectTo" TEXT NOT NULL DEFAULT '/',
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OidcTransaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Space" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "departmentId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Space_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Document" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "spaceId" TEXT NOT NULL,
    "parentId" TEXT,
    "visibility" TEXT NOT NULL DEFAULT 'department',
    "audienceRole" TEXT NOT NULL DEFAULT 'editor',
    "departmentId" TEXT,
    "ownerId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastEditedAt" TIMESTAMP(3),
    "lastEditedById" TEXT,
    "deletedAt" TIMESTAMP(3),
    "deletedById" TEXT,
    "plainText" TEXT NOT NULL DEFAULT '',
    "textSeq" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DocShare" (
    "id" TEXT NOT NULL,
    "docId" TEXT NOT NULL,
    "principalType" TEXT NOT NULL,
    "principalId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT NOT NULL,

    CONSTRAINT "DocShare_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DocStar" (
    "userId" TEXT NOT NULL,
    "docId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DocStar_pkey" PRIMARY KEY ("userId","docId")
);

-- CreateTable
CREATE TABLE "DocState" (
    "docId" TEXT NOT NULL,
    "state" BYTEA NOT NULL,
    "seq" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DocState_pkey" PRIMARY KEY ("docId")
);

-- CreateTable
CREATE TABLE "DocUpdate" (
    "docId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "update" BYTEA NOT NULL,
    "userId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DocUpdate_pkey" PRIMARY KEY ("docId","seq")
);

-- CreateTable
CREATE TABLE "DocRevision" (
    "id" TEXT NOT NULL,
    "docId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT NOT NULL,
    "state" BYTEA NOT NULL,
    "seq" INTEGER NOT NULL,
    "contributorIds" TEXT NOT NULL DEFAULT '[]',
    "createdById" TEXT,
    "preview" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "DocRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DocComment" (
    "id" TEXT NOT NULL,
    "docId" TEXT NOT NULL,
    "threadId" TEXT,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "anchorId" TEXT,
    "quote" TEXT NOT NULL DEFAULT '',
    "resolvedAt" TIMESTAMP(3),
    "resolvedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "editedAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "deletedById" TEXT,
    "anchorStart" TEXT,
    "anchorEnd" TEXT,

    CONSTRAINT "DocComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DocMention" (
    "docId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "notifiedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DocMention_pkey" PRIMARY KEY ("docId","userId")
);

-- CreateTable
CREATE TABLE "DocImage" (
    "id" TEXT NOT NULL,
    "docId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "fileName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DocImage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PersonFollow" (
    "followerId" TEXT NOT NULL,
    "followeeId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PersonFollow_pkey" PRIMARY KEY ("followerId","followeeId")
);

-- CreateTable
CREATE TABLE "SpaceFollow" (
    "userId" TEXT NOT NULL,
    "spaceId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SpaceFollow_pkey" PRIMARY KEY ("userId","spaceId")
);

-- CreateTable
CREATE TABLE "ActivityItem" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "actorId" TEXT,
    "departmentId" TEXT,
    "targetUserId" TEXT,
    "questionId" TEXT,
    "answerId" TEXT,
    "docId" TEXT,
    "spaceId" TEXT,
    "insightId" TEXT,

    CONSTRAINT "ActivityItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reaction" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Reaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DigestSettings" (
    "userId" TEXT NOT NULL,
    "frequency" TEXT NOT NULL DEFAULT 'weekly',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DigestSettings_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "DigestDelivery" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "periodKey" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "itemCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "error" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "DigestDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DashQuestionFact" (
    "questionId" TEXT NOT NULL,
    "askerId" TEXT NOT NULL,
    "askedAt" TEXT NOT NULL,
    "askedJd" DOUBLE PRECISION NOT NULL,
    "firstJd" DOUBLE PRECISION,
    "accepted" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DashQuestionFact_pkey" PRIMARY KEY ("questionId")
);

-- CreateTable
CREATE TABLE "DashInsightFact" (
    "insightId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "createdAt" TEXT NOT NULL,
    "createdJd" DOUBLE PRECISION NOT NULL,
    "ackJd" DOUBLE PRECISION,
    "resJd" DOUBLE PRECISION,
    "ackB" INTEGER NOT NULL DEFAULT 0,
    "resB" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DashInsightFact_pkey" PRIMARY KEY ("insightId","teamId")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "User_departmentId_idx" ON "User"("departmentId");

-- CreateIndex
CREATE INDEX "User_managerId_idx" ON "User"("managerId");

-- CreateIndex
CREATE INDEX "User_name_id_idx" ON "User"("name", "id");

-- CreateIndex
CREATE INDEX "User_id_active_departmentId_idx" ON "User"("id", "active", "departmentId");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "PasswordToken_userId_idx" ON "PasswordToken"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Department_name_key" ON "Department"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Department_slug_key" ON "Department"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Team_name_key" ON "Team"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Team_slug_key" ON "Team"("slug");

-- CreateIndex
CREATE INDEX "TeamMembership_teamId_idx" ON "TeamMembership"("teamId");

-- CreateIndex
CREATE UNIQUE INDEX "Skill_name_key" ON "Skill"("name");

-- CreateIndex
CREATE UNIQUE INDEX "SkillSynonym_name_key" ON "SkillSynonym"("name");

-- CreateIndex
CREATE INDEX "UserSkill_skillId_idx" ON "UserSkill"("skillId");

-- CreateIndex
CREATE INDEX "Notification_userId_readAt_idx" ON "Notification"("userId", "readAt");

-- CreateIndex
CREATE INDEX "Notification_userId_createdAt_idx" ON "Notification"("userId", "createdAt");

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
CREATE INDEX "InsightEvent_createdAt_type_actorId_idx" ON "InsightEvent"("createdAt", "type", "actorId");

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
CREATE INDEX "Question_deletedAt_createdAt_idx" ON "Question"("deletedAt", "createdAt");

-- CreateIndex
CREATE INDEX "Question_deletedAt_lastActivityAt_idx" ON "Question"("deletedAt", "lastActivityAt");

-- CreateIndex
CREATE INDEX "Question_deletedAt_score_idx" ON "Question"("deletedAt", "score");

-- CreateIndex
CREATE INDEX "Question_departmentId_idx" ON "Question"("departmentId");

-- CreateIndex
CREATE INDEX "Question_authorId_idx" ON "Question"("authorId");

-- CreateIndex
CREATE INDEX "Question_duplicateOfId_idx" ON "Question"("duplicateOfId");

-- CreateIndex
CREATE UNIQUE INDEX "Question_importSource_importId_key" ON "Question"("importSource", "importId");

-- CreateIndex
CREATE INDEX "QuestionTag_skillId_idx" ON "QuestionTag"("skillId");

-- CreateIndex
CREATE INDEX "Answer_questionId_idx" ON "Answer"("questionId");

-- CreateIndex
CREATE INDEX "Answer_authorId_idx" ON "Answer"("authorId");

-- CreateIndex
CREATE INDEX "Answer_questionId_deletedAt_createdAt_authorId_idx" ON "Answer"("questionId", "deletedAt", "createdAt", "authorId");

-- CreateIndex
CREATE INDEX "Answer_createdAt_deletedAt_authorId_questionId_idx" ON "Answer"("createdAt", "deletedAt", "authorId", "questionId");

-- CreateIndex
CREATE UNIQUE INDEX "Answer_importSource_importId_key" ON "Answer"("importSource", "importId");

-- CreateIndex
CREATE INDEX "QaComment_questionId_idx" ON "QaComment"("questionId");

-- CreateIndex
CREATE INDEX "QaComment_answerId_idx" ON "QaComment"("answerId");

-- CreateIndex
CREATE INDEX "QaComment_createdAt_deletedAt_authorId_idx" ON "QaComment"("createdAt", "deletedAt", "authorId");

-- CreateIndex
CREATE UNIQUE INDEX "QaComment_importSource_importId_key" ON "QaComment"("importSource", "importId");

-- CreateIndex
CREATE INDEX "QuestionVote_questionId_idx" ON "QuestionVote"("questionId");

-- CreateIndex
CREATE INDEX "AnswerVote_answerId_idx" ON "AnswerVote"("answerId");

-- CreateIndex
CREATE INDEX "PostRevision_questionId_number_idx" ON "PostRevision"("questionId", "number");

-- CreateIndex
CREATE INDEX "PostRevision_answerId_number_idx" ON "PostRevision"("answerId", "number");

-- CreateIndex
CREATE INDEX "TagFollow_skillId_idx" ON "TagFollow"("skillId");

-- CreateIndex
CREATE INDEX "QuestionFollow_questionId_idx" ON "QuestionFollow"("questionId");

-- CreateIndex
CREATE INDEX "QuestionRoute_userId_idx" ON "QuestionRoute"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "QuestionRoute_questionId_userId_key" ON "QuestionRoute"("questionId", "userId");

-- CreateIndex
CREATE INDEX "ImportedIdentity_userId_idx" ON "ImportedIdentity"("userId");

-- CreateIndex
CREATE INDEX "AuditEvent_createdAt_idx" ON "AuditEvent"("createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_createdAt_idx" ON "AuditEvent"("actorId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_action_createdAt_idx" ON "AuditEvent"("action", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_ownerId_idx" ON "ApiToken"("ownerId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_createdAt_idx" ON "WebhookDelivery"("webhookId", "createdAt");

-- CreateIndex
CREATE INDEX "ExternalIdentity_userId_idx" ON "ExternalIdentity"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ExternalIdentity_issuer_subject_key" ON "ExternalIdentity"("issuer", "subject");

-- CreateIndex
CREATE UNIQUE INDEX "Space_slug_key" ON "Space"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Space_departmentId_key" ON "Space"("departmentId");

-- CreateIndex
CREATE INDEX "Document_spaceId_parentId_idx" ON "Document"("spaceId", "parentId");

-- CreateIndex
CREATE INDEX "Document_lastEditedAt_idx" ON "Document"("lastEditedAt");

-- CreateIndex
CREATE INDEX "Document_ownerId_idx" ON "Document"("ownerId");

-- CreateIndex
CREATE INDEX "DocShare_principalType_principalId_idx" ON "DocShare"("principalType", "principalId");

-- CreateIndex
CREATE UNIQUE INDEX "DocShare_docId_principalType_principalId_key" ON "DocShare"("docId", "principalType", "principalId");

-- CreateIndex
CREATE INDEX "DocStar_docId_idx" ON "DocStar"("docId");

-- CreateIndex
CREATE INDEX "DocRevision_docId_createdAt_idx" ON "DocRevision"("docId", "createdAt");

-- CreateIndex
CREATE INDEX "DocRevision_createdAt_docId_contributorIds_idx" ON "DocRevision"("createdAt", "docId", "contributorIds");

-- CreateIndex
CREATE INDEX "DocComment_docId_createdAt_idx" ON "DocComment"("docId", "createdAt");

-- CreateIndex
CREATE INDEX "DocComment_threadId_idx" ON "DocComment"("threadId");

-- CreateIndex
CREATE INDEX "DocComment_createdAt_authorId_idx" ON "DocComment"("createdAt", "authorId");

-- CreateIndex
CREATE INDEX "DocImage_docId_idx" ON "DocImage"("docId");

-- CreateIndex
CREATE INDEX "PersonFollow_followeeId_idx" ON "PersonFollow"("followeeId");

-- CreateIndex
CREATE INDEX "SpaceFollow_spaceId_idx" ON "SpaceFollow"("spaceId");

-- CreateIndex
CREATE INDEX "ActivityItem_createdAt_id_idx" ON "ActivityItem"("createdAt", "id");

-- CreateIndex
CREATE INDEX "ActivityItem_actorId_createdAt_idx" ON "ActivityItem"("actorId", "createdAt");

-- CreateIndex
CREATE INDEX "ActivityItem_departmentId_createdAt_idx" ON "ActivityItem"("departmentId", "createdAt");

-- CreateIndex
CREATE INDEX "ActivityItem_targetUserId_createdAt_idx" ON "ActivityItem"("targetUserId", "createdAt");

-- CreateIndex
CREATE INDEX "ActivityItem_spaceId_createdAt_idx" ON "ActivityItem"("spaceId", "createdAt");

-- CreateIndex
CREATE INDEX "ActivityItem_questionId_idx" ON "ActivityItem"("questionId");

-- CreateIndex
CREATE INDEX "ActivityItem_docId_actorId_kind_idx" ON "ActivityItem"("docId", "actorId", "kind");

-- CreateIndex
CREATE INDEX "ActivityItem_insightId_idx" ON "ActivityItem"("insightId");

-- CreateIndex
CREATE INDEX "Reaction_targetType_targetId_idx" ON "Reaction"("targetType", "targetId");

-- CreateIndex
CREATE UNIQUE INDEX "Reaction_userId_targetType_targetId_key_key" ON "Reaction"("userId", "targetType", "targetId", "key");

-- CreateIndex
CREATE INDEX "DigestDelivery_userId_sentAt_idx" ON "DigestDelivery"("userId", "sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "DigestDelivery_userId_periodKey_key" ON "DigestDelivery"("userId", "periodKey");

-- CreateIndex
CREATE INDEX "DashQuestionFact_askedAt_askerId_askedJd_firstJd_accepted_idx" ON "DashQuestionFact"("askedAt", "askerId", "askedJd", "firstJd", "accepted");

-- CreateIndex
CREATE INDEX "DashInsightFact_createdAt_teamId_insightId_createdJd_ackJd__idx" ON "DashInsightFact"("createdAt", "teamId", "insightId", "createdJd", "ackJd", "resJd", "ackB", "resB");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_managerId_fkey" FOREIGN KEY ("managerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PasswordToken" ADD CONSTRAINT "PasswordToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Team" ADD CONSTRAINT "Team_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Team" ADD CONSTRAINT "Team_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMembership" ADD CONSTRAINT "TeamMembership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMembership" ADD CONSTRAINT "TeamMembership_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SkillSynonym" ADD CONSTRAINT "SkillSynonym_skillId_fkey" FOREIGN KEY ("skillId") REFERENCES "Skill"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserSkill" ADD CONSTRAINT "UserSkill_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserSkill" ADD CONSTRAINT "UserSkill_skillId_fkey" FOREIGN KEY ("skillId") REFERENCES "Skill"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Insight" ADD CONSTRAINT "Insight_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "CustomerAccount"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Insight" ADD CONSTRAINT "Insight_postedById_fkey" FOREIGN KEY ("postedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Insight" ADD CONSTRAINT "Insight_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "ApiToken"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Insight" ADD CONSTRAINT "Insight_acknowledgedById_fkey" FOREIGN KEY ("acknowledgedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Insight" ADD CONSTRAINT "Insight_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "InsightCluster"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InsightTag" ADD CONSTRAINT "InsightTag_insightId_fkey" FOREIGN KEY ("insightId") REFERENCES "Insight"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InsightTag" ADD CONSTRAINT "InsightTag_skillId_fkey" FOREIGN KEY ("skillId") REFERENCES "Skill"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InsightRoute" ADD CONSTRAINT "InsightRoute_insightId_fkey" FOREIGN KEY ("insightId") REFERENCES "Insight"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InsightRoute" ADD CONSTRAINT "InsightRoute_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InsightEvent" ADD CONSTRAINT "InsightEvent_insightId_fkey" FOREIGN KEY ("insightId") REFERENCES "Insight"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InsightEvent" ADD CONSTRAINT "InsightEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingRuleTeam" ADD CONSTRAINT "RoutingRuleTeam_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "RoutingRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingRuleTeam" ADD CONSTRAINT "RoutingRuleTeam_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InsightSettings" ADD CONSTRAINT "InsightSettings_triageTeamId_fkey" FOREIGN KEY ("triageTeamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RuleAudit" ADD CONSTRAINT "RuleAudit_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpikeAlert" ADD CONSTRAINT "SpikeAlert_skillId_fkey" FOREIGN KEY ("skillId") REFERENCES "Skill"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpikeAlert" ADD CONSTRAINT "SpikeAlert_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_duplicateOfId_fkey" FOREIGN KEY ("duplicateOfId") REFERENCES "Question"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuestionTag" ADD CONSTRAINT "QuestionTag_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuestionTag" ADD CONSTRAINT "QuestionTag_skillId_fkey" FOREIGN KEY ("skillId") REFERENCES "Skill"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Answer" ADD CONSTRAINT "Answer_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Answer" ADD CONSTRAINT "Answer_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QaComment" ADD CONSTRAINT "QaComment_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QaComment" ADD CONSTRAINT "QaComment_answerId_fkey" FOREIGN KEY ("answerId") REFERENCES "Answer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QaComment" ADD CONSTRAINT "QaComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuestionVote" ADD CONSTRAINT "QuestionVote_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuestionVote" ADD CONSTRAINT "QuestionVote_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnswerVote" ADD CONSTRAINT "AnswerVote_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnswerVote" ADD CONSTRAINT "AnswerVote_answerId_fkey" FOREIGN KEY ("answerId") REFERENCES "Answer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PostRevision" ADD CONSTRAINT "PostRevision_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PostRevision" ADD CONSTRAINT "PostRevision_answerId_fkey" FOREIGN KEY ("answerId") REFERENCES "Answer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PostRevision" ADD CONSTRAINT "PostRevision_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TagInfo" ADD CONSTRAINT "TagInfo_skillId_fkey" FOREIGN KEY ("skillId") REFERENCES "Skill"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TagFollow" ADD CONSTRAINT "TagFollow_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TagFollow" ADD CONSTRAINT "TagFollow_skillId_fkey" FOREIGN KEY ("skillId") REFERENCES "Skill"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuestionFollow" ADD CONSTRAINT "QuestionFollow_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuestionFollow" ADD CONSTRAINT "QuestionFollow_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuestionRoute" ADD CONSTRAINT "QuestionRoute_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuestionRoute" ADD CONSTRAINT "QuestionRoute_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportedIdentity" ADD CONSTRAINT "ImportedIdentity_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExternalIdentity" ADD CONSTRAINT "ExternalIdentity_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Space" ADD CONSTRAINT "Space_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_spaceId_fkey" FOREIGN KEY ("spaceId") REFERENCES "Space"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Document"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_lastEditedById_fkey" FOREIGN KEY ("lastEditedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocShare" ADD CONSTRAINT "DocShare_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocStar" ADD CONSTRAINT "DocStar_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocStar" ADD CONSTRAINT "DocStar_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocState" ADD CONSTRAINT "DocState_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocUpdate" ADD CONSTRAINT "DocUpdate_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocRevision" ADD CONSTRAINT "DocRevision_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocComment" ADD CONSTRAINT "DocComment_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocComment" ADD CONSTRAINT "DocComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocMention" ADD CONSTRAINT "DocMention_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocImage" ADD CONSTRAINT "DocImage_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonFollow" ADD CONSTRAINT "PersonFollow_followerId_fkey" FOREIGN KEY ("followerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonFollow" ADD CONSTRAINT "PersonFollow_followeeId_fkey" FOREIGN KEY ("followeeId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpaceFollow" ADD CONSTRAINT "SpaceFollow_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SpaceFollow" ADD CONSTRAINT "SpaceFollow_spaceId_fkey" FOREIGN KEY ("spaceId") REFERENCES "Space"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityItem" ADD CONSTRAINT "ActivityItem_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityItem" ADD CONSTRAINT "ActivityItem_targetUserId_fkey" FOREIGN KEY ("targetUserId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityItem" ADD CONSTRAINT "ActivityItem_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityItem" ADD CONSTRAINT "ActivityItem_answerId_fkey" FOREIGN KEY ("answerId") REFERENCES "Answer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityItem" ADD CONSTRAINT "ActivityItem_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityItem" ADD CONSTRAINT "ActivityItem_insightId_fkey" FOREIGN KEY ("insightId") REFERENCES "Insight"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reaction" ADD CONSTRAINT "Reaction_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DigestSettings" ADD CONSTRAINT "DigestSettings_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DigestDelivery" ADD CONSTRAINT "DigestDelivery_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ── Hand-written: append-only audit log (the database refuses to change or remove a recorded event).
CREATE FUNCTION "atrium_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only';
END;
$$;
CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION "atrium_audit_append_only"();
CREATE TRIGGER "AuditEvent_no_delete" BEFORE DELETE ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION "atrium_audit_append_only"();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent" FOR EACH STATEMENT EXECUTE FUNCTION "atrium_audit_append_only"();

-- ── Hand-written: dashboard facts (decision 074) follow every write to their sources in the same
-- transaction. Same values as SQLite: julian days as double precision, the source's time as the ISO
-- text Prisma's SQLite adapter stores ("2026-12-04T16:00:00.000+00:00"), so one query text serves both.
CREATE FUNCTION "atrium_jd"(t TIMESTAMP(3)) RETURNS DOUBLE PRECISION LANGUAGE sql IMMUTABLE AS $$
  SELECT EXTRACT(EPOCH FROM t)::double precision / 86400.0 + 2440587.5
$$;
CREATE FUNCTION "atrium_iso"(t TIMESTAMP(3)) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS.MS"+00:00"')
$$;

-- A question's fact: present while the question is not deleted; first answer by someone else; accepted.
CREATE FUNCTION "atrium_question_fact"(qid TEXT) RETURNS void LANGUAGE sql AS $$
  DELETE FROM "DashQuestionFact" WHERE "questionId" = qid;
  INSERT INTO "DashQuestionFact" ("questionId", "askerId", "askedAt", "askedJd", "firstJd", "accepted")
  SELECT q."id", q."authorId", atrium_iso(q."createdAt"), atrium_jd(q."createdAt"),
         (SELECT atrium_jd(MIN(a."createdAt")) FROM "Answer" a WHERE a."questionId" = q."id" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId"),
         CASE WHEN EXISTS (SELECT 1 FROM "Answer" a WHERE a."id" = q."acceptedAnswerId" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId") THEN 1 ELSE 0 END
    FROM "Question" q WHERE q."id" = qid AND q."deletedAt" IS NULL;
$$;

CREATE FUNCTION "atrium_question_fact_trg"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'Question' THEN
    IF TG_OP <> 'INSERT' THEN PERFORM atrium_question_fact(OLD."id"); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM atrium_question_fact(NEW."id"); END IF;
  ELSE
    IF TG_OP <> 'INSERT' THEN PERFORM atrium_question_fact(OLD."questionId"); END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW."questionId" IS DISTINCT FROM OLD."questionId") THEN PERFORM atrium_question_fact(NEW."questionId"); END IF;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "DashQuestionFact_question_insert" AFTER INSERT ON "Question" FOR EACH ROW EXECUTE FUNCTION "atrium_question_fact_trg"();
CREATE TRIGGER "DashQuestionFact_question_update" AFTER UPDATE OF "id", "authorId", "createdAt", "deletedAt", "acceptedAnswerId" ON "Question" FOR EACH ROW EXECUTE FUNCTION "atrium_question_fact_trg"();
CREATE TRIGGER "DashQuestionFact_question_delete" AFTER DELETE ON "Question" FOR EACH ROW EXECUTE FUNCTION "atrium_question_fact_trg"();
CREATE TRIGGER "DashQuestionFact_answer_insert" AFTER INSERT ON "Answer" FOR EACH ROW EXECUTE FUNCTION "atrium_question_fact_trg"();
CREATE TRIGGER "DashQuestionFact_answer_update" AFTER UPDATE OF "questionId", "authorId", "createdAt", "deletedAt", "id" ON "Answer" FOR EACH ROW EXECUTE FUNCTION "atrium_question_fact_trg"();
CREATE TRIGGER "DashQuestionFact_answer_delete" AFTER DELETE ON "Answer" FOR EACH ROW EXECUTE FUNCTION "atrium_question_fact_trg"();

-- An insight's facts: one row per route, rebuilt from the insight and its routes.
CREATE FUNCTION "atrium_insight_facts"(iid TEXT) RETURNS void LANGUAGE sql AS $$
  DELETE FROM "DashInsightFact" WHERE "insightId" = iid;
  INSERT INTO "DashInsightFact" ("insightId", "teamId", "createdAt", "createdJd", "ackJd", "resJd", "ackB", "resB")
  SELECT i."id", r."teamId", atrium_iso(i."createdAt"), atrium_jd(i."createdAt"), atrium_jd(COALESCE(i."acknowledgedAt", i."resolvedAt")), atrium_jd(i."resolvedAt"),
         CASE WHEN i."ackBreachedAt" IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN i."resolveBreachedAt" IS NOT NULL THEN 1 ELSE 0 END
    FROM "Insight" i JOIN "InsightRoute" r ON r."insightId" = i."id" WHERE i."id" = iid
  ON CONFLICT DO NOTHING;
$$;

CREATE FUNCTION "atrium_insight_facts_trg"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'Insight' THEN
    IF TG_OP = 'DELETE' THEN DELETE FROM "DashInsightFact" WHERE "insightId" = OLD."id";
    ELSE PERFORM atrium_insight_facts(NEW."id"); END IF;
  ELSE
    IF TG_OP <> 'INSERT' THEN PERFORM atrium_insight_facts(OLD."insightId"); END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW."insightId" IS DISTINCT FROM OLD."insightId") THEN PERFORM atrium_insight_facts(NEW."insightId"); END IF;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "DashInsightFact_route_insert" AFTER INSERT ON "InsightRoute" FOR EACH ROW EXECUTE FUNCTION "atrium_insight_facts_trg"();
CREATE TRIGGER "DashInsightFact_route_update" AFTER UPDATE ON "InsightRoute" FOR EACH ROW EXECUTE FUNCTION "atrium_insight_facts_trg"();
CREATE TRIGGER "DashInsightFact_route_delete" AFTER DELETE ON "InsightRoute" FOR EACH ROW EXECUTE FUNCTION "atrium_insight_facts_trg"();
CREATE TRIGGER "DashInsightFact_insight_update" AFTER UPDATE OF "createdAt", "acknowledgedAt", "resolvedAt", "ackBreachedAt", "resolveBreachedAt" ON "Insight" FOR EACH ROW EXECUTE FUNCTION "atrium_insight_facts_trg"();
CREATE TRIGGER "DashInsightFact_insight_delete" AFTER DELETE ON "Insight" FOR EACH ROW EXECUTE FUNCTION "atrium_insight_facts_trg"();
