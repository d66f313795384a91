-- CreateTable
CREATE TABLE "Space" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "departmentId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Space_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Document" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "spaceId" TEXT NOT NULL,
    "parentId" TEXT,
    "visibility" TEXT NOT NULL DEFAULT 'department',
    "audienceRole" TEXT NOT NULL DEFAULT 'editor',
    "departmentId" TEXT,
    "ownerId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "lastEditedAt" DATETIME,
    "lastEditedById" TEXT,
    "deletedAt" DATETIME,
    "deletedById" TEXT,
    "plainText" TEXT NOT NULL DEFAULT '',
    "textSeq" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Document_spaceId_fkey" FOREIGN KEY ("spaceId") REFERENCES "Space" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Document_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Document" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Document_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Document_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Document_lastEditedById_fkey" FOREIGN KEY ("lastEditedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DocShare" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "docId" TEXT NOT NULL,
    "principalType" TEXT NOT NULL,
    "principalId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT NOT NULL,
    CONSTRAINT "DocShare_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DocStar" (
    "userId" TEXT NOT NULL,
    "docId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "docId"),
    CONSTRAINT "DocStar_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DocStar_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DocState" (
    "docId" TEXT NOT NULL PRIMARY KEY,
    "state" BLOB NOT NULL,
    "seq" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DocState_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DocUpdate" (
    "docId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "update" BLOB NOT NULL,
    "userId" TEXT,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("docId", "seq"),
    CONSTRAINT "DocUpdate_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DocRevision" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "docId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT NOT NULL,
    "state" BLOB NOT NULL,
    "seq" INTEGER NOT NULL,
    "contributorIds" TEXT NOT NULL DEFAULT '[]',
    "createdById" TEXT,
    "preview" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "DocRevision_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DocComment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "docId" TEXT NOT NULL,
    "threadId" TEXT,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "anchorId" TEXT,
    "quote" TEXT NOT NULL DEFAULT '',
    "resolvedAt" DATETIME,
    "resolvedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DocComment_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DocComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DocMention" (
    "docId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "notifiedAt" DATETIME NOT NULL,

    PRIMARY KEY ("docId", "userId"),
    CONSTRAINT "DocMention_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DocImage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "docId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "fileName" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DocImage_docId_fkey" FOREIGN KEY ("docId") REFERENCES "Document" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

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
CREATE INDEX "DocComment_docId_createdAt_idx" ON "DocComment"("docId", "createdAt");

-- CreateIndex
CREATE INDEX "DocComment_threadId_idx" ON "DocComment"("threadId");

-- CreateIndex
CREATE INDEX "DocImage_docId_idx" ON "DocImage"("docId");

