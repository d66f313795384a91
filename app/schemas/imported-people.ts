import { z } from "zod";

/** An admin merges a placeholder from an imported site into a real account. */
export const MergeImportedSchema = z.object({
  placeholderId: z.string({ required_error: "Choose the imported person." }).min(1, "Choose the imported person.").max(60),
  accountId: z.string({ required_error: "Choose the account." }).min(1, "Choose the account.").max(60),
});
