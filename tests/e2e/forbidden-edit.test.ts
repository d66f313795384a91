/** A member cannot edit someone else's profile, by page or by crafted request; unknown people are 404. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "../helpers/app.js";
import { captureFailures, signIn, startE2E, type E2E, type UserPage, RESEND_ON_RESET } from "./helpers/browser.js";

const TINY_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

let e2e: E2E;
captureFailures(() => e2e);
let member: Awaited<ReturnType<typeof makeUser>>;
let other: Awaited<ReturnType<typeof makeUser>>;
let memberPage: UserPage;

beforeAll(async () => {
  e2e = await startE2E();
  member = await makeUser(e2e.app.atrium, { name: "Mallory Member" });
  other = await makeUser(e2e.app.atrium, { name: "Olive Other", title: "Engineer" });
  await e2e.app.atrium.domain.people.updateProfile(other.actor, other.user.id, {
    name: "Olive Other",
    timeZone: "Europe/Paris",
    bio: "Original bio.",
    location: "Paris",
    skills: [{ name: "rust", level: "expert" }],
  });
  memberPage = await e2e.newUser();
  await signIn(memberPage.page, e2e.url, member.user.email, member.password);
});
afterAll(async () => {
  await e2e?.close();
});

const snapshot = (id: string) =>
  e2e.app.atrium.db.user.findUniqueOrThrow({
    where: { id },
    include: { skills: true, teams: true },
  });

const profileForm = (name: string) => ({
  intent: "profile",
  name,
  timeZone: "UTC",
  bio: "Hijacked.",
  location: "Nowhere",
  skillName: "phishing",
  skillLevel: "expert",
});

describe("forbidden edit", () => {
  it("shows the 403 page when a member opens another person's edit page", async () => {
    const { page } = memberPage;
    const res = await page.goto(`${e2e.url}/people/${other.user.id}/edit`);
    expect(res?.status()).toBe(403);
    await page.getByRole("heading", { name: "Not allowed" }).waitFor();
    expect(await page.getByTestId("error-403").isVisible()).toBe(true);
    // None of the edit form leaked into the page.
    expect(await page.getByLabel("Bio").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Save profile" }).count()).toBe(0);
  });

  it("does not offer an Edit profile link on someone else's profile", async () => {
    const { page } = memberPage;
    const res = await page.goto(`${e2e.url}/people/${other.user.id}`);
    expect(res?.status()).toBe(200);
    await page.getByTestId("profile-name").filter({ hasText: "Olive Other" }).waitFor();
    expect(await page.getByRole("link", { name: "Edit profile" }).count()).toBe(0);
  });

  it("refuses crafted POSTs with the member's cookie and leaves the other person's row unchanged", async () => {
    const before = await snapshot(other.user.id);
    const url = `${e2e.url}/people/${other.user.id}/edit`;
    const request = memberPage.page.request;

    const profile = await request.post(url, { ...RESEND_ON_RESET, form: profileForm("Hijacked Name"), maxRedirects: 0 });
    expect(profile.status()).toBe(403);
    const body = await profile.text();
    expect(body).toContain("Not allowed");
    expect(body).not.toContain("Cross-site"); // refused by the policy, not by the origin check

    const hr = await request.post(url, { ...RESEND_ON_RESET,
      form: { intent: "hr", email: "stolen@example.test", title: "CEO", departmentId: "", managerId: "" },
      maxRedirects: 0,
    });
    expect(hr.status()).toBe(403);

    const photo = await request.post(url, { ...RESEND_ON_RESET,
      multipart: { photo: { name: "x.png", mimeType: "image/png", buffer: TINY_PNG } },
      maxRedirects: 0,
    });
    expect(photo.status()).toBe(403);

    const removePhoto = await request.post(url, { ...RESEND_ON_RESET, form: { intent: "remove-photo" }, maxRedirects: 0 });
    expect(removePhoto.status()).toBe(403);

    expect(await snapshot(other.user.id)).toEqual(before);
  });

  it("accepts the same crafted POST from the profile's owner (the refusal above is the policy)", async () => {
    const owner = await e2e.newUser();
    await signIn(owner.page, e2e.url, other.user.email, other.password);
    const res = await owner.page.request.post(`${e2e.url}/people/${other.user.id}/edit`, { ...RESEND_ON_RESET,
      form: profileForm("Olive Renamed"),
      maxRedirects: 0,
    });
    expect([200, 302, 303]).toContain(res.status());
    expect((await snapshot(other.user.id)).name).toBe("Olive Renamed");
  });
});

describe("unknown person", () => {
  it("shows the 404 page with status 404", async () => {
    const { page } = memberPage;
    const res = await page.goto(`${e2e.url}/people/nope`);
    expect(res?.status()).toBe(404);
    await page.getByRole("heading", { name: "Not found" }).waitFor();
    expect(await page.getByTestId("error-404").isVisible()).toBe(true);
  });

  it("shows the 404 page for an address that does not exist at all", async () => {
    const { page } = memberPage;
    const res = await page.goto(`${e2e.url}/no/such/page`);
    expect(res?.status()).toBe(404);
    await page.getByRole("heading", { name: "Not found" }).waitFor();
  });
});
