-- CreateTable
CREATE TABLE "PersonFollow" (
    "followerId" TEXT NOT NULL,
    "followeeId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("followerId", "followeeId"),
    CONSTRAINT "PersonFollow_followerId_fkey" FOREIGN KEY ("followerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PersonFollow_followeeId_fkey" FOREIGN KEY ("followeeId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SpaceFollow" (
    "userId" TEXT NOT NULL,
    "spaceId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "spaceId"),
    CONSTRAINT "SpaceFollow_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SpaceFollow_spaceId_fkey" FOREIGN KEY ("spaceId") REFERENCES "Space" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ActivityItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "actorId" TEXT,
    "departmentId" TEXT,
    "targetUserId" TEXT,
    "questionId" TEXT,
    "answerId" TEXT,
    "docId" TEXT,
    "spaceId" TEXT,
    "insightId" TEXT,
    CONSTRAINT "ActivityItem_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ActivityItem_targetUserId_fkey" FOREIGN KEY ("targetUserId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ActivityItem_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ActivityItem_answerId_fkey" FOREIGN KEY ("answerId") REFERENCES "Answer" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ActivityItem_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ActivityItem_insightId_fkey" FOREIGN KEY ("insightId") REFERENCES "Insight" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Reaction" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Reaction_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DigestSettings" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "frequency" TEXT NOT NULL DEFAULT 'weekly',
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DigestSettings_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DigestDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "periodKey" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "itemCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "error" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "DigestDelivery_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

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

