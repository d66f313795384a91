-- A version per document space, raised in the writing transaction by every write that changes what
-- a space's tree shows apart from dates: a document added, removed, renamed, moved, trashed or
-- restored, its visibility, audience, department or owner changed, a share added, changed or
-- removed. A server keeps a space's tree in memory under the version it read and reuses it while
-- the version is unchanged (decision 520). A space with no row has version 0.

-- CreateTable
CREATE TABLE "SpaceVersion" (
    "spaceId" TEXT NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL
);

CREATE TRIGGER "SpaceVersion_doc_insert" AFTER INSERT ON "Document" BEGIN
  INSERT INTO "SpaceVersion" ("spaceId", "version") VALUES (NEW."spaceId", 1)
  ON CONFLICT ("spaceId") DO UPDATE SET "version" = "version" + 1;
END;

CREATE TRIGGER "SpaceVersion_doc_delete" AFTER DELETE ON "Document" BEGIN
  INSERT INTO "SpaceVersion" ("spaceId", "version") VALUES (OLD."spaceId", 1)
  ON CONFLICT ("spaceId") DO UPDATE SET "version" = "version" + 1;
END;

CREATE TRIGGER "SpaceVersion_doc_update" AFTER UPDATE OF "spaceId", "title", "parentId", "ownerId", "visibility", "audienceRole", "departmentId", "deletedAt" ON "Document" BEGIN
  INSERT INTO "SpaceVersion" ("spaceId", "version") VALUES (OLD."spaceId", 1)
  ON CONFLICT ("spaceId") DO UPDATE SET "version" = "version" + 1;
  INSERT INTO "SpaceVersion" ("spaceId", "version") SELECT NEW."spaceId", 1 WHERE NEW."spaceId" <> OLD."spaceId"
  ON CONFLICT ("spaceId") DO UPDATE SET "version" = "version" + 1;
END;

CREATE TRIGGER "SpaceVersion_share_insert" AFTER INSERT ON "DocShare" BEGIN
  INSERT INTO "SpaceVersion" ("spaceId", "version") SELECT d."spaceId", 1 FROM "Document" d WHERE d."id" = NEW."docId"
  ON CONFLICT ("spaceId") DO UPDATE SET "version" = "version" + 1;
END;

CREATE TRIGGER "SpaceVersion_share_delete" AFTER DELETE ON "DocShare" BEGIN
  INSERT INTO "SpaceVersion" ("spaceId", "version") SELECT d."spaceId", 1 FROM "Document" d WHERE d."id" = OLD."docId"
  ON CONFLICT ("spaceId") DO UPDATE SET "version" = "version" + 1;
END;

CREATE TRIGGER "SpaceVersion_share_update" AFTER UPDATE ON "DocShare" BEGIN
  INSERT INTO "SpaceVersion" ("spaceId", "version") SELECT d."spaceId", 1 FROM "Document" d WHERE d."id" IN (OLD."docId", NEW."docId")
  ON CONFLICT ("spaceId") DO UPDATE SET "version" = "version" + 1;
END;
