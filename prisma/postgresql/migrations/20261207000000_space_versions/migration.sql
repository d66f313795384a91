-- A version per document space, raised in the writing transaction by every write that changes what
-- a space's tree shows apart from dates (decision 520); the SQLite migration of the same name keeps
-- it with the same rules. A space with no row has version 0.

-- CreateTable
CREATE TABLE "SpaceVersion" (
    "spaceId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "SpaceVersion_pkey" PRIMARY KEY ("spaceId")
);

CREATE OR REPLACE FUNCTION "atrium_space_version_bump"(space TEXT) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "SpaceVersion" ("spaceId", "version") VALUES (space, 1)
  ON CONFLICT ("spaceId") DO UPDATE SET "version" = "SpaceVersion"."version" + 1;
$$;

CREATE OR REPLACE FUNCTION "atrium_space_version_doc_trg"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM "atrium_space_version_bump"(OLD."spaceId");
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."spaceId" <> OLD."spaceId") THEN
    PERFORM "atrium_space_version_bump"(NEW."spaceId");
  END IF;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION "atrium_space_version_share_trg"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  space TEXT;
BEGIN
  FOR space IN
    SELECT DISTINCT d."spaceId" FROM "Document" d
     WHERE (TG_OP <> 'INSERT' AND d."id" = OLD."docId") OR (TG_OP <> 'DELETE' AND d."id" = NEW."docId")
  LOOP
    PERFORM "atrium_space_version_bump"(space);
  END LOOP;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "SpaceVersion_doc_insert" AFTER INSERT ON "Document" FOR EACH ROW EXECUTE FUNCTION "atrium_space_version_doc_trg"();
CREATE TRIGGER "SpaceVersion_doc_delete" AFTER DELETE ON "Document" FOR EACH ROW EXECUTE FUNCTION "atrium_space_version_doc_trg"();
CREATE TRIGGER "SpaceVersion_doc_update" AFTER UPDATE OF "spaceId", "title", "parentId", "ownerId", "visibility", "audienceRole", "departmentId", "deletedAt" ON "Document" FOR EACH ROW EXECUTE FUNCTION "atrium_space_version_doc_trg"();
CREATE TRIGGER "SpaceVersion_share_insert" AFTER INSERT ON "DocShare" FOR EACH ROW EXECUTE FUNCTION "atrium_space_version_share_trg"();
CREATE TRIGGER "SpaceVersion_share_delete" AFTER DELETE ON "DocShare" FOR EACH ROW EXECUTE FUNCTION "atrium_space_version_share_trg"();
CREATE TRIGGER "SpaceVersion_share_update" AFTER UPDATE ON "DocShare" FOR EACH ROW EXECUTE FUNCTION "atrium_space_version_share_trg"();
