-- AlterTable
ALTER TABLE "DocComment" ADD COLUMN "anchorEnd" TEXT;
ALTER TABLE "DocComment" ADD COLUMN "anchorStart" TEXT;
ALTER TABLE "DocComment" ADD COLUMN "deletedAt" DATETIME;
ALTER TABLE "DocComment" ADD COLUMN "deletedById" TEXT;
ALTER TABLE "DocComment" ADD COLUMN "editedAt" DATETIME;

