-- /docs lists the most recently edited readable documents in (lastEditedAt, createdAt, id) order
-- and stops at a screenful; with only lastEditedAt indexed it sorted every document first
-- (decision 265).

-- DropIndex
DROP INDEX "Document_lastEditedAt_idx";

-- CreateIndex
CREATE INDEX "Document_lastEditedAt_createdAt_id_idx" ON "Document"("lastEditedAt", "createdAt", "id");
