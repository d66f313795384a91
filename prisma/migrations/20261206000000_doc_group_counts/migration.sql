-- Per-space document counts by the facts the read policy looks at apart from owner and shares
-- (decision 265). /docs adds up the groups a reader may read, then the few documents they own or
-- that are shared with them, instead of reading every document.

-- CreateTable
CREATE TABLE "DocGroupCount" (
    "spaceId" TEXT NOT NULL,
    "visibility" TEXT NOT NULL,
    "audienceRole" TEXT NOT NULL,
    "departmentId" TEXT NOT NULL,
    "n" INTEGER NOT NULL,

    PRIMARY KEY ("spaceId", "visibility", "audienceRole", "departmentId")
);

INSERT INTO "DocGroupCount" ("spaceId", "visibility", "audienceRole", "departmentId", "n")
SELECT "spaceId", "visibility", "audienceRole", COALESCE("departmentId", ''), COUNT(*) FROM "Document" WHERE "deletedAt" IS NULL GROUP BY 1, 2, 3, 4;

-- ── Triggers: the counts follow every write to Document (verbs, imports, seeds, raw SQL, foreign-key
-- actions such as a deleted department's SET NULL) in the same transaction. A group whose count
-- falls to 0 keeps its row.
CREATE TRIGGER "DocGroupCount_insert" AFTER INSERT ON "Document" WHEN NEW."deletedAt" IS NULL BEGIN
  INSERT INTO "DocGroupCount" ("spaceId", "visibility", "audienceRole", "departmentId", "n")
  VALUES (NEW."spaceId", NEW."visibility", NEW."audienceRole", COALESCE(NEW."departmentId", ''), 1)
  ON CONFLICT ("spaceId", "visibility", "audienceRole", "departmentId") DO UPDATE SET "n" = "n" + 1;
END;

CREATE TRIGGER "DocGroupCount_delete" AFTER DELETE ON "Document" WHEN OLD."deletedAt" IS NULL BEGIN
  UPDATE "DocGroupCount" SET "n" = "n" - 1
   WHERE "spaceId" = OLD."spaceId" AND "visibility" = OLD."visibility" AND "audienceRole" = OLD."audienceRole" AND "departmentId" = COALESCE(OLD."departmentId", '');
END;

CREATE TRIGGER "DocGroupCount_update" AFTER UPDATE OF "spaceId", "visibility", "audienceRole", "departmentId", "deletedAt" ON "Document" BEGIN
  UPDATE "DocGroupCount" SET "n" = "n" - 1
   WHERE OLD."deletedAt" IS NULL
     AND "spaceId" = OLD."spaceId" AND "visibility" = OLD."visibility" AND "audienceRole" = OLD."audienceRole" AND "departmentId" = COALESCE(OLD."departmentId", '');
  INSERT INTO "DocGroupCount" ("spaceId", "visibility", "audienceRole", "departmentId", "n")
  SELECT NEW."spaceId", NEW."visibility", NEW."audienceRole", COALESCE(NEW."departmentId", ''), 1 WHERE NEW."deletedAt" IS NULL
  ON CONFLICT ("spaceId", "visibility", "audienceRole", "departmentId") DO UPDATE SET "n" = "n" + 1;
END;
