-- DropIndex
DROP INDEX "InsightEvent_createdAt_idx";

-- DropIndex
DROP INDEX "Answer_createdAt_idx";

-- DropIndex
DROP INDEX "QaComment_createdAt_idx";

-- DropIndex
DROP INDEX "DocRevision_createdAt_idx";

-- CreateTable
CREATE TABLE "DashQuestionFact" (
    "questionId" TEXT NOT NULL PRIMARY KEY,
    "askerId" TEXT NOT NULL,
    "askedAt" TEXT NOT NULL,
    "askedJd" REAL NOT NULL,
    "firstJd" REAL,
    "accepted" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "DashInsightFact" (
    "insightId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "createdAt" TEXT NOT NULL,
    "createdJd" REAL NOT NULL,
    "ackJd" REAL,
    "resJd" REAL,
    "ackB" INTEGER NOT NULL DEFAULT 0,
    "resB" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("insightId", "teamId")
);

-- CreateIndex
CREATE INDEX "DashQuestionFact_askedAt_askerId_askedJd_firstJd_accepted_idx" ON "DashQuestionFact"("askedAt", "askerId", "askedJd", "firstJd", "accepted");

-- CreateIndex
CREATE INDEX "DashInsightFact_createdAt_teamId_insightId_createdJd_ackJd_resJd_ackB_resB_idx" ON "DashInsightFact"("createdAt", "teamId", "insightId", "createdJd", "ackJd", "resJd", "ackB", "resB");

-- CreateIndex
CREATE INDEX "User_id_active_departmentId_idx" ON "User"("id", "active", "departmentId");

-- CreateIndex
CREATE INDEX "InsightEvent_createdAt_type_actorId_idx" ON "InsightEvent"("createdAt", "type", "actorId");

-- CreateIndex
CREATE INDEX "Answer_createdAt_deletedAt_authorId_questionId_idx" ON "Answer"("createdAt", "deletedAt", "authorId", "questionId");

-- CreateIndex
CREATE INDEX "QaComment_createdAt_deletedAt_authorId_idx" ON "QaComment"("createdAt", "deletedAt", "authorId");

-- CreateIndex
CREATE INDEX "DocRevision_createdAt_docId_contributorIds_idx" ON "DocRevision"("createdAt", "docId", "contributorIds");

-- CreateIndex
CREATE INDEX "DocComment_createdAt_authorId_idx" ON "DocComment"("createdAt", "authorId");

-- ── Triggers (decision 074): the facts follow every write to their sources, in the same transaction.
-- Prisma does not model triggers; prisma/schema.prisma only knows the two tables above.

-- A question's fact: present while the question is not deleted; first answer by someone else; accepted.
CREATE TRIGGER "DashQuestionFact_question_insert" AFTER INSERT ON "Question" BEGIN
  INSERT OR REPLACE INTO "DashQuestionFact" ("questionId", "askerId", "askedAt", "askedJd", "firstJd", "accepted")
  SELECT q."id", q."authorId", q."createdAt", julianday(q."createdAt"),
         (SELECT julianday(MIN(a."createdAt")) FROM "Answer" a WHERE a."questionId" = q."id" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId"),
         EXISTS (SELECT 1 FROM "Answer" a WHERE a."id" = q."acceptedAnswerId" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId")
    FROM "Question" q WHERE q."id" = NEW."id" AND q."deletedAt" IS NULL;
END;

CREATE TRIGGER "DashQuestionFact_question_update" AFTER UPDATE OF "id", "authorId", "createdAt", "deletedAt", "acceptedAnswerId" ON "Question" BEGIN
  DELETE FROM "DashQuestionFact" WHERE "questionId" IN (OLD."id", NEW."id");
  INSERT INTO "DashQuestionFact" ("questionId", "askerId", "askedAt", "askedJd", "firstJd", "accepted")
  SELECT q."id", q."authorId", q."createdAt", julianday(q."createdAt"),
         (SELECT julianday(MIN(a."createdAt")) FROM "Answer" a WHERE a."questionId" = q."id" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId"),
         EXISTS (SELECT 1 FROM "Answer" a WHERE a."id" = q."acceptedAnswerId" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId")
    FROM "Question" q WHERE q."id" = NEW."id" AND q."deletedAt" IS NULL;
END;

CREATE TRIGGER "DashQuestionFact_question_delete" AFTER DELETE ON "Question" BEGIN
  DELETE FROM "DashQuestionFact" WHERE "questionId" = OLD."id";
END;

-- An answer changes its question's first answer and acceptance: recompute both for the old and new question.
CREATE TRIGGER "DashQuestionFact_answer_insert" AFTER INSERT ON "Answer" BEGIN
  UPDATE "DashQuestionFact" SET
    "firstJd" = (SELECT julianday(MIN(a."createdAt")) FROM "Answer" a WHERE a."questionId" = "DashQuestionFact"."questionId" AND a."deletedAt" IS NULL AND a."authorId" <> "DashQuestionFact"."askerId"),
    "accepted" = EXISTS (SELECT 1 FROM "Question" q JOIN "Answer" a ON a."id" = q."acceptedAnswerId"
                          WHERE q."id" = "DashQuestionFact"."questionId" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId")
  WHERE "questionId" = NEW."questionId";
END;

CREATE TRIGGER "DashQuestionFact_answer_update" AFTER UPDATE OF "questionId", "authorId", "createdAt", "deletedAt", "id" ON "Answer" BEGIN
  UPDATE "DashQuestionFact" SET
    "firstJd" = (SELECT julianday(MIN(a."createdAt")) FROM "Answer" a WHERE a."questionId" = "DashQuestionFact"."questionId" AND a."deletedAt" IS NULL AND a."authorId" <> "DashQuestionFact"."askerId"),
    "accepted" = EXISTS (SELECT 1 FROM "Question" q JOIN "Answer" a ON a."id" = q."acceptedAnswerId"
                          WHERE q."id" = "DashQuestionFact"."questionId" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId")
  WHERE "questionId" IN (OLD."questionId", NEW."questionId");
END;

CREATE TRIGGER "DashQuestionFact_answer_delete" AFTER DELETE ON "Answer" BEGIN
  UPDATE "DashQuestionFact" SET
    "firstJd" = (SELECT julianday(MIN(a."createdAt")) FROM "Answer" a WHERE a."questionId" = "DashQuestionFact"."questionId" AND a."deletedAt" IS NULL AND a."authorId" <> "DashQuestionFact"."askerId"),
    "accepted" = EXISTS (SELECT 1 FROM "Question" q JOIN "Answer" a ON a."id" = q."acceptedAnswerId"
                          WHERE q."id" = "DashQuestionFact"."questionId" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId")
  WHERE "questionId" = OLD."questionId";
END;

-- An insight's facts: one row per route, rebuilt from the insight and its routes.
CREATE TRIGGER "DashInsightFact_route_insert" AFTER INSERT ON "InsightRoute" BEGIN
  INSERT OR REPLACE INTO "DashInsightFact" ("insightId", "teamId", "createdAt", "createdJd", "ackJd", "resJd", "ackB", "resB")
  SELECT i."id", NEW."teamId", i."createdAt", julianday(i."createdAt"), julianday(COALESCE(i."acknowledgedAt", i."resolvedAt")), julianday(i."resolvedAt"),
         i."ackBreachedAt" IS NOT NULL, i."resolveBreachedAt" IS NOT NULL
    FROM "Insight" i WHERE i."id" = NEW."insightId";
END;

CREATE TRIGGER "DashInsightFact_route_update" AFTER UPDATE ON "InsightRoute" BEGIN
  DELETE FROM "DashInsightFact" WHERE "insightId" = OLD."insightId" AND "teamId" = OLD."teamId";
  INSERT OR REPLACE INTO "DashInsightFact" ("insightId", "teamId", "createdAt", "createdJd", "ackJd", "resJd", "ackB", "resB")
  SELECT i."id", NEW."teamId", i."createdAt", julianday(i."createdAt"), julianday(COALESCE(i."acknowledgedAt", i."resolvedAt")), julianday(i."resolvedAt"),
         i."ackBreachedAt" IS NOT NULL, i."resolveBreachedAt" IS NOT NULL
    FROM "Insight" i WHERE i."id" = NEW."insightId";
END;

CREATE TRIGGER "DashInsightFact_route_delete" AFTER DELETE ON "InsightRoute" BEGIN
  DELETE FROM "DashInsightFact" WHERE "insightId" = OLD."insightId" AND "teamId" = OLD."teamId";
END;

CREATE TRIGGER "DashInsightFact_insight_update" AFTER UPDATE OF "createdAt", "acknowledgedAt", "resolvedAt", "ackBreachedAt", "resolveBreachedAt" ON "Insight" BEGIN
  UPDATE "DashInsightFact" SET
    "createdAt" = NEW."createdAt", "createdJd" = julianday(NEW."createdAt"),
    "ackJd" = julianday(COALESCE(NEW."acknowledgedAt", NEW."resolvedAt")), "resJd" = julianday(NEW."resolvedAt"),
    "ackB" = NEW."ackBreachedAt" IS NOT NULL, "resB" = NEW."resolveBreachedAt" IS NOT NULL
  WHERE "insightId" = NEW."id";
END;

CREATE TRIGGER "DashInsightFact_insight_delete" AFTER DELETE ON "Insight" BEGIN
  DELETE FROM "DashInsightFact" WHERE "insightId" = OLD."id";
END;

-- Backfill from what exists.
INSERT INTO "DashQuestionFact" ("questionId", "askerId", "askedAt", "askedJd", "firstJd", "accepted")
SELECT q."id", q."authorId", q."createdAt", julianday(q."createdAt"),
       (SELECT julianday(MIN(a."createdAt")) FROM "Answer" a WHERE a."questionId" = q."id" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId"),
       EXISTS (SELECT 1 FROM "Answer" a WHERE a."id" = q."acceptedAnswerId" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId")
  FROM "Question" q WHERE q."deletedAt" IS NULL;

INSERT INTO "DashInsightFact" ("insightId", "teamId", "createdAt", "createdJd", "ackJd", "resJd", "ackB", "resB")
SELECT i."id", r."teamId", i."createdAt", julianday(i."createdAt"), julianday(COALESCE(i."acknowledgedAt", i."resolvedAt")), julianday(i."resolvedAt"),
       i."ackBreachedAt" IS NOT NULL, i."resolveBreachedAt" IS NOT NULL
  FROM "Insight" i JOIN "InsightRoute" r ON r."insightId" = i."id";
