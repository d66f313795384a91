/**
 * The admin area in a real browser: an admin creates an account and a team, the new person signs
 * in; a member is refused; deactivating someone ends their open page over the socket.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "../helpers/app.js";
import { RESEND_ON_RESET, signIn, startE2E, waitForRealtime, type E2E, type UserPage } from "./helpers/browser.js";

let e2e: E2E;
let admin: Awaited<ReturnType<typeof makeUser>>;
let adminPage: UserPage;

beforeAll(async () => {
  e2e = await startE2E();
  admin = await makeUser(e2e.app.atrium, { name: "Ada Admin", role: "admin" });
  await e2e.app.atrium.domain.org.createDepartment(admin.actor, { name: "Engineering", description: "" });
  adminPage = await e2e.newUser();
  await signIn(adminPage.page, e2e.url, admin.user.email, admin.password);
});
afterAll(async () => {
  await e2e?.close();
});

const db = () => e2e.app.atrium.db;

describe("admin area", () => {
  it("creates a user and a team with that user in it; the new user signs in, cannot change the team, and the admin removes her", async () => {
    const { page } = adminPage;
    await page.goto(`${e2e.url}/admin/users`);
    await page.getByRole("link", { name: "Create user" }).click();
    await page.waitForURL(`${e2e.url}/admin/users/new`);

    // Bad input first: field-level messages, and nothing written.
    const usersBefore = await db().user.count();
    await page.getByLabel("Name").fill("Nina Newcomer");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Initial password").fill("short");
    await page.getByRole("button", { name: "Create user" }).click();
    await page.getByText("Enter a valid email address.").waitFor();
    await page.getByText("Password must be at least 12 characters.").waitFor();
    expect(await db().user.count()).toBe(usersBefore);
    expect(await page.getByLabel("Name").inputValue()).toBe("Nina Newcomer");

    await page.getByLabel("Email").fill("nina@example.test");
    await page.getByLabel("Initial password").fill("nina-initial-pw");
    await page.getByLabel("Job title").fill("Site reliability engineer");
    await page.getByLabel("Department").selectOption({ label: "Engineering" });
    await page.getByRole("button", { name: "Create user" }).click();
    await page.getByTestId("flash").filter({ hasText: "Created an account for Nina Newcomer" }).waitFor();
    const row = page.getByTestId("user-row").filter({ hasText: "nina@example.test" });
    await expect.poll(() => row.textContent()).toContain("Engineering");
    const nina = await db().user.findUniqueOrThrow({ where: { email: "nina@example.test" }, include: { department: true } });
    expect(nina).toMatchObject({ name: "Nina Newcomer", role: "member", active: true, title: "Site reliability engineer" });
    expect(nina.department?.name).toBe("Engineering");

    // A team: the empty name is refused, then created, then Nina is added from the team page.
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Teams" }).click();
    await page.waitForURL(`${e2e.url}/admin/teams`);
    await page.getByRole("button", { name: "Create team" }).click();
    await page.getByText("Team name is required.").waitFor();
    expect(await db().team.count()).toBe(0);
    await page.getByLabel("Team name").fill("Platform");
    await page.getByLabel("Department").selectOption({ label: "Engineering" });
    await page.getByRole("button", { name: "Create team" }).click();
    await page.waitForURL(/\/admin\/teams\/[^/?]+\?created=1$/);
    await page.getByRole("heading", { name: "Team: Platform" }).waitFor();

    await page.getByRole("button", { name: "Add member" }).click();
    await page.getByText("Choose an existing person.").waitFor();
    await page.getByLabel("Person to add").selectOption({ label: "Nina Newcomer" });
    await page.getByRole("button", { name: "Add member" }).click();
    await page.getByTestId("member-row").filter({ hasText: "Nina Newcomer" }).waitFor();
    const team = await db().team.findUniqueOrThrow({ where: { name: "Platform" }, include: { members: true } });
    expect(team.members.map((m) => m.userId)).toEqual([nina.id]);

    // Nina signs in with the password the admin set and sees the team on her profile.
    const ninaPage = await e2e.newUser();
    await signIn(ninaPage.page, e2e.url, "nina@example.test", "nina-initial-pw");
    await ninaPage.page.goto(`${e2e.url}/people/${nina.id}`);
    await ninaPage.page.getByTestId("profile-name").filter({ hasText: "Nina Newcomer" }).waitFor();
    await ninaPage.page.getByRole("link", { name: "Platform" }).waitFor();

    // Nina, a member, cannot take herself off the team with a crafted POST: refused, nothing moves.
    const forged = await ninaPage.page.request.post(`${e2e.url}/admin/teams/${team.id}`, {
      ...RESEND_ON_RESET,
      form: { intent: "remove-member", userId: nina.id },
      headers: { Origin: e2e.url },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect(await db().teamMembership.count({ where: { teamId: team.id } })).toBe(1);

    // The admin removes her from the team page: her row goes, and so does the membership.
    await page.getByRole("button", { name: "Remove Nina Newcomer from the team" }).click();
    await page.getByText("Nina Newcomer was removed from the team.").waitFor();
    await page.getByTestId("member-row").filter({ hasText: "Nina Newcomer" }).waitFor({ state: "detached" });
    expect(await db().teamMembership.count({ where: { teamId: team.id } })).toBe(0);
    expect(ninaPage.pageErrors).toEqual([]);
    expect(adminPage.pageErrors).toEqual([]);
  });

  it("manages departments: a clashing name is refused keeping what was typed, rename, a department with people is kept, an empty one deleted", async () => {
    const { page } = adminPage;
    const occupied = await e2e.app.atrium.domain.org.createDepartment(admin.actor, { name: "Field Sales", description: "" });
    await makeUser(e2e.app.atrium, { name: "Sam Seller", departmentId: occupied.id });
    await page.goto(`${e2e.url}/admin/departments`);
    const form = page.locator("form").filter({ has: page.getByRole("heading", { name: "New department" }) });

    const before = await db().department.count();
    await form.getByLabel("Department name").fill("Field Sales");
    await form.getByLabel("Description").fill("Customers in the north");
    await form.getByRole("button", { name: "Create department" }).click();
    await page.getByText("A department with this name already exists.").waitFor();
    expect(await db().department.count()).toBe(before);
    expect(await form.getByLabel("Description").inputValue()).toBe("Customers in the north");

    await form.getByLabel("Department name").fill("Customer Succes");
    await form.getByRole("button", { name: "Create department" }).click();
    await page.getByText("Department “Customer Succes” created.").waitFor();
    const row = (name: string) => page.getByTestId("department-row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
    await expect.poll(() => row("Customer Succes").textContent()).toContain("Customers in the north");

    // Rename through the edit form.
    await row("Customer Succes").getByRole("link", { name: /^Edit/ }).click();
    await page.getByRole("heading", { name: "Edit department: Customer Succes" }).waitFor();
    await page.getByLabel("Department name").fill("Customer Success");
    await page.getByRole("button", { name: "Save department" }).click();
    await page.waitForURL(`${e2e.url}/admin/departments`);
    await row("Customer Success").waitFor();
    const renamed = await db().department.findFirstOrThrow({ where: { name: "Customer Success" } });
    expect(renamed.description).toBe("Customers in the north");

    // A department with an active person stays, with the reason next to it.
    await row("Field Sales").getByRole("button", { name: /^Delete/ }).click();
    await page.getByTestId("form-error").filter({ hasText: "Could not delete “Field Sales”: Move its 1 person to another department first." }).waitFor();
    expect(await db().department.findUnique({ where: { id: occupied.id } })).not.toBeNull();

    await row("Customer Success").getByRole("button", { name: /^Delete/ }).click();
    await page.getByText("Department “Customer Success” deleted.").waitFor();
    expect(await db().department.findUnique({ where: { id: renamed.id } })).toBeNull();
    // The notice comes with the action's answer; the list follows once the page revalidates.
    await row("Customer Success").waitFor({ state: "detached" });
    expect(await row("Field Sales").count()).toBe(1);
  });

  it("shows a member the 403 page at /admin/users and lists nobody", async () => {
    const member = await makeUser(e2e.app.atrium, { name: "Mallory Member" });
    const { page } = await e2e.newUser();
    await signIn(page, e2e.url, member.user.email, member.password);
    const res = await page.goto(`${e2e.url}/admin/users`);
    expect(res?.status()).toBe(403);
    await page.getByTestId("error-403").getByRole("heading", { name: "Not allowed" }).waitFor();
    expect(await page.getByText(admin.user.email).count()).toBe(0);
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).count()).toBe(0);
  });

  it("deactivating a signed-in person sends their open page to /login at once", async () => {
    const victim = await makeUser(e2e.app.atrium, { name: "Victor Leaving" });
    const victimPage = await e2e.newUser();
    await signIn(victimPage.page, e2e.url, victim.user.email, victim.password);
    await victimPage.page.goto(`${e2e.url}/people`);
    await waitForRealtime(victimPage.page);

    const { page } = adminPage;
    await page.goto(`${e2e.url}/admin/users`);
    await page.getByRole("link", { name: "Deactivate… Victor Leaving" }).click();
    const confirm = page.getByTestId("confirm-deactivate");
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain("sessions and live connections at once");
    await page.getByRole("button", { name: "Deactivate Victor Leaving" }).click();
    await page.getByTestId("flash").filter({ hasText: "Victor Leaving was deactivated" }).waitFor();

    // No reload on the victim's side: the session.ended socket event moves the page.
    await victimPage.page.waitForURL((u) => u.pathname === "/login");
    await victimPage.page.getByText("Your session ended").waitFor();
    expect(await db().session.count({ where: { userId: victim.user.id } })).toBe(0);
    expect((await db().user.findUniqueOrThrow({ where: { id: victim.user.id } })).active).toBe(false);

    // The row now offers reactivation instead.
    await page.getByTestId("user-row").filter({ hasText: "Victor Leaving" }).getByRole("button", { name: "Reactivate Victor Leaving" }).waitFor();
  });
});
