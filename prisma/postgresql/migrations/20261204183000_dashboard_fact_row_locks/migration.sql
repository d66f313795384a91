-- Dashboard facts under concurrent writes: two transactions answering the same question (or routing
-- and updating the same insight) each rebuilt the fact row with DELETE + INSERT; the second one's
-- DELETE found nothing to delete until the first committed, and its INSERT then hit the primary key.
-- Each rebuild now first takes the source row's lock (FOR NO KEY UPDATE: it does not conflict with
-- the KEY SHARE locks that foreign keys take), so rebuilds of one fact run one after another and each
-- statement of the VOLATILE function reads what the previous writer committed.
CREATE OR REPLACE FUNCTION "atrium_question_fact"(qid TEXT) RETURNS void LANGUAGE sql AS $$
  SELECT 1 FROM "Question" WHERE "id" = qid FOR NO KEY UPDATE;
  DELETE FROM "DashQuestionFact" WHERE "questionId" = qid;
  INSERT INTO "DashQuestionFact" ("questionId", "askerId", "askedAt", "askedJd", "firstJd", "accepted")
  SELECT q."id", q."authorId", atrium_iso(q."createdAt"), atrium_jd(q."createdAt"),
         (SELECT atrium_jd(MIN(a."createdAt")) FROM "Answer" a WHERE a."questionId" = q."id" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId"),
         CASE WHEN EXISTS (SELECT 1 FROM "Answer" a WHERE a."id" = q."acceptedAnswerId" AND a."deletedAt" IS NULL AND a."authorId" <> q."authorId") THEN 1 ELSE 0 END
    FROM "Question" q WHERE q."id" = qid AND q."deletedAt" IS NULL;
$$;

CREATE OR REPLACE FUNCTION "atrium_insight_facts"(iid TEXT) RETURNS void LANGUAGE sql AS $$
  SELECT 1 FROM "Insight" WHERE "id" = iid FOR NO KEY UPDATE;
  DELETE FROM "DashInsightFact" WHERE "insightId" = iid;
  INSERT INTO "DashInsightFact" ("insightId", "teamId", "createdAt", "createdJd", "ackJd", "resJd", "ackB", "resB")
  SELECT i."id", r."teamId", atrium_iso(i."createdAt"), atrium_jd(i."createdAt"), atrium_jd(COALESCE(i."acknowledgedAt", i."resolvedAt")), atrium_jd(i."resolvedAt"),
         CASE WHEN i."ackBreachedAt" IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN i."resolveBreachedAt" IS NOT NULL THEN 1 ELSE 0 END
    FROM "Insight" i JOIN "InsightRoute" r ON r."insightId" = i."id" WHERE i."id" = iid
  ON CONFLICT DO NOTHING;
$$;
