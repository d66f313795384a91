-- Per-space document counts by the facts the read policy looks at apart from owner and shares
-- (decision 265); the SQLite migration of the same name keeps them with the same rules.

-- CreateTable
CREATE TABLE "DocGroupCount" (
    "spaceId" TEXT NOT NULL,
    "visibility" TEXT NOT NULL,
    "audienceRole" TEXT NOT NULL,
    "departmentId" TEXT NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "DocGroupCount_pkey" PRIMARY KEY ("spaceId","visibility","audienceRole","departmentId")
);

INSERT INTO "DocGroupCount" ("spaceId", "visibility", "audienceRole", "departmentId", "n")
SELECT "spaceId", "visibility", "audienceRole", COALESCE("departmentId", ''), COUNT(*) FROM "Document" WHERE "deletedAt" IS NULL GROUP BY 1, 2, 3, 4;

-- Every write to Document, in the writing transaction. The old group is decremented before the new
-- one is incremented; a group whose count falls to 0 keeps its row.
CREATE OR REPLACE FUNCTION "atrium_doc_group_count_trg"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD."deletedAt" IS NULL THEN
    UPDATE "DocGroupCount" SET "n" = "n" - 1
     WHERE "spaceId" = OLD."spaceId" AND "visibility" = OLD."visibility" AND "audienceRole" = OLD."audienceRole" AND "departmentId" = COALESCE(OLD."departmentId", '');
  END IF;
  IF TG_OP <> 'DELETE' AND NEW."deletedAt" IS NULL THEN
    INSERT INTO "DocGroupCount" ("spaceId", "visibility", "audienceRole", "departmentId", "n")
    VALUES (NEW."spaceId", NEW."visibility", NEW."audienceRole", COALESCE(NEW."departmentId", ''), 1)
    ON CONFLICT ("spaceId", "visibility", "audienceRole", "departmentId") DO UPDATE SET "n" = "DocGroupCount"."n" + 1;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "DocGroupCount_insert" AFTER INSERT ON "Document" FOR EACH ROW EXECUTE FUNCTION "atrium_doc_group_count_trg"();
CREATE TRIGGER "DocGroupCount_delete" AFTER DELETE ON "Document" FOR EACH ROW EXECUTE FUNCTION "atrium_doc_group_count_trg"();
CREATE TRIGGER "DocGroupCount_update" AFTER UPDATE OF "spaceId", "visibility", "audienceRole", "departmentId", "deletedAt" ON "Document" FOR EACH ROW EXECUTE FUNCTION "atrium_doc_group_count_trg"();
