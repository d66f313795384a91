/**
 * A small organisation for the social-layer tests: Ana reads her feed; Ben (Sales) is someone she
 * follows; Cai shares her department (Engineering); Dee is a stranger in Sales; an admin.
 */
import type { Atrium } from "../../../server/atrium.js";
import { makeDepartment, makePerson, makeTeam } from "../../factories.js";

export async function feedWorld(atrium: Atrium) {
  const engineering = await makeDepartment(atrium, "Engineering");
  const sales = await makeDepartment(atrium, "Sales");
  const support = await makeTeam(atrium, { name: "Support Desk", departmentId: sales.id });
  await atrium.domain.docs.ensureSpaces();
  const spaces = await atrium.db.space.findMany();
  const people = {
    ana: await makePerson(atrium, { name: "Ana Reader", departmentId: engineering.id, teamIds: [support.id], timeZone: "Europe/Berlin" }),
    ben: await makePerson(atrium, { name: "Ben Followed", departmentId: sales.id }),
    cai: await makePerson(atrium, { name: "Cai Colleague", departmentId: engineering.id }),
    dee: await makePerson(atrium, { name: "Dee Stranger", departmentId: sales.id }),
    admin: await makePerson(atrium, { name: "Ada Admin", role: "admin" }),
  };
  return {
    departments: { engineering, sales },
    teams: { support },
    people,
    space: {
      company: spaces.find((s) => s.kind === "company")!,
      sales: spaces.find((s) => s.departmentId === sales.id)!,
      engineering: spaces.find((s) => s.departmentId === engineering.id)!,
    },
  };
}
export type FeedWorld = Awaited<ReturnType<typeof feedWorld>>;

/** Everything the social layer writes, for "nothing changed" assertions. */
export async function socialSnapshot(atrium: Atrium) {
  const db = atrium.db;
  const [personFollows, spaceFollows, tagFollows, reactions, activity, digestSettings, deliveries] = await Promise.all([
    db.personFollow.findMany({ orderBy: [{ followerId: "asc" }, { followeeId: "asc" }] }),
    db.spaceFollow.findMany({ orderBy: [{ userId: "asc" }, { spaceId: "asc" }] }),
    db.tagFollow.count(),
    db.reaction.findMany({ orderBy: { id: "asc" } }),
    db.activityItem.count(),
    db.digestSettings.findMany({ orderBy: { userId: "asc" } }),
    db.digestDelivery.count(),
  ]);
  return { personFollows, spaceFollows, tagFollows, reactions, activity, digestSettings, deliveries };
}
