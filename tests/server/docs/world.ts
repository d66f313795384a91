/**
 * A small organisation for document tests: Marketing and Product departments, a team in each,
 * people in and out of them, an admin, and their spaces.
 */
import type { Atrium } from "../../../server/atrium.js";
import { makeDepartment, makePerson, makeTeam } from "../../factories.js";

export async function docsWorld(atrium: Atrium) {
  const marketing = await makeDepartment(atrium, "Marketing");
  const product = await makeDepartment(atrium, "Product");
  const growth = await makeTeam(atrium, { name: "Growth", departmentId: marketing.id });
  const platform = await makeTeam(atrium, { name: "Platform", departmentId: product.id });
  await atrium.domain.docs.ensureSpaces();
  const mk = (name: string, departmentId: string | null, teamIds: string[] = [], role: "admin" | "member" = "member") =>
    makePerson(atrium, { name, departmentId, teamIds, role });
  const people = {
    mia: await mk("Mia Marketing", marketing.id, [growth.id]),
    max: await mk("Max Marketing", marketing.id),
    pia: await mk("Pia Product", product.id, [platform.id]),
    pat: await mk("Pat Product", product.id),
    nod: await mk("Nod Nodepartment", null),
    admin: await mk("Ada Admin", null, [], "admin"),
  };
  const spaces = await atrium.db.space.findMany();
  const space = {
    company: spaces.find((s) => s.kind === "company")!,
    marketing: spaces.find((s) => s.departmentId === marketing.id)!,
    product: spaces.find((s) => s.departmentId === product.id)!,
  };
  return { departments: { marketing, product }, teams: { growth, platform }, people, space };
}
export type World = Awaited<ReturnType<typeof docsWorld>>;

/** Everything stored about a document, for "nothing changed" assertions. */
export async function snapshotDoc(atrium: Atrium, docId: string) {
  const [doc, shares, stars, comments, revisions, updates, state] = await Promise.all([
    atrium.db.document.findUnique({ where: { id: docId } }),
    atrium.db.docShare.findMany({ where: { docId }, orderBy: { id: "asc" } }),
    atrium.db.docStar.findMany({ where: { docId }, orderBy: { userId: "asc" } }),
    atrium.db.docComment.findMany({ where: { docId }, orderBy: { id: "asc" } }),
    atrium.db.docRevision.count({ where: { docId } }),
    atrium.db.docUpdate.count({ where: { docId } }),
    atrium.db.docState.findUnique({ where: { docId }, select: { seq: true } }),
  ]);
  return { doc, shares, stars, comments, revisions, updates, state };
}
