-- CreateIndex
CREATE INDEX "InsightEvent_createdAt_idx" ON "InsightEvent"("createdAt");

-- CreateIndex
CREATE INDEX "Answer_questionId_deletedAt_createdAt_authorId_idx" ON "Answer"("questionId", "deletedAt", "createdAt", "authorId");

-- CreateIndex
CREATE INDEX "Answer_createdAt_idx" ON "Answer"("createdAt");

-- CreateIndex
CREATE INDEX "QaComment_createdAt_idx" ON "QaComment"("createdAt");

-- CreateIndex
CREATE INDEX "DocRevision_createdAt_idx" ON "DocRevision"("createdAt");

