import { z } from "zod";

const name = (label: string) =>
  z.string({ required_error: `${label} is required.` }).trim().min(1, `${label} is required.`).max(80, `${label} must be at most 80 characters.`);

export const DepartmentSchema = z.object({
  name: name("Department name"),
  description: z.string().trim().max(500, "Description must be at most 500 characters.").default(""),
});
export type DepartmentInput = z.infer<typeof DepartmentSchema>;

export const TeamSchema = z.object({
  name: name("Team name"),
  description: z.string().trim().max(500, "Description must be at most 500 characters.").default(""),
  departmentId: z.string().trim().max(40).nullable().default(null),
  leadId: z.string().trim().max(40).nullable().default(null),
});
export type TeamInput = z.infer<typeof TeamSchema>;

export const SynonymSchema = z.object({
  skill: z.string().trim().toLowerCase().min(1, "Skill is required.").max(40),
  synonym: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "Synonym is required.")
    .max(40, "Synonyms are at most 40 characters."),
});
export type SynonymInput = z.infer<typeof SynonymSchema>;

export const slugify = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60) || "item";
