// The first-run guide on the dashboard: for an administrator (or a location manager) whose installation is not set up
// yet, the steps from an empty server to people booking desks, each a link to the page that does it and ticked off once
// the API shows it done. It disappears once every step is done.
import { get, query } from "../lib/api.js";
import { $, h, fill } from "../lib/dom.js";

/** Who gets the guide: superusers, and managers of a location (room managers cannot add floors or rooms). */
export function wantsSetupGuide(me) {
  return me.user.is_superuser || me.managed_location_ids.length > 0;
}

/**
 * Works out which steps are done from what the API answers and shows the guide in `#setup-guide` while any is left.
 * Resolves to true when the guide is shown.
 */
export async function showSetupGuide(me, locations) {
  const box = $("#setup-guide");
  if (!box) return false;
  // `data-checked` tells when the answer is in: hidden because nothing is left, or not meant for this person.
  if (!wantsSetupGuide(me)) {
    box.dataset.checked = "not-a-manager";
    return false;
  }
  const facts = await setupFacts(me, locations);
  const steps = setupSteps(me, facts);
  const done = steps.filter((step) => step.done).length;
  box.dataset.checked = done === steps.length ? "all-done" : "steps-left";
  if (done === steps.length) {
    box.hidden = true;
    return false;
  }
  const next = steps.find((step) => !step.done);
  fill($("#setup-progress"), `${done} of ${steps.length} steps done.`);
  fill($("#setup-steps"), steps.map((step) => h("li", { class: step.done ? "done" : step === next ? "next" : "", dataset: { step: step.id } },
    h("span", { class: "setup-mark", "aria-hidden": "true", text: step.done ? "✓" : "" }),
    h("div", {},
      h("a", { href: step.href, text: step.title, "aria-describedby": `setup-${step.id}-state` }),
      h("span", { id: `setup-${step.id}-state`, class: "setup-state", text: step.done ? "Done" : step === next ? "Next" : "To do" }),
      h("p", { class: "muted", text: step.hint })))));
  box.hidden = false;
  return true;
}

/** What exists already: the first location, floor and room found, whether any room has desks, whether others have accounts. */
async function setupFacts(me, locations) {
  const facts = { location: locations[0] ?? null, floor: null, room: null, desks: false, people: false };
  for (const location of locations.slice(0, 20)) {
    const [floors, rooms] = await Promise.all([get(`/locations/${location.id}/floors`), get(`/locations/${location.id}/rooms`)]);
    if (floors.length && !facts.floor) { facts.floor = floors[0]; facts.location = location; }
    for (const room of rooms.slice(0, 20)) {
      facts.room ??= room;
      if ((await get(`/rooms/${room.id}/desks`)).length > 0) {
        facts.room = room;
        facts.desks = true;
        break;
      }
    }
    if (facts.desks) break;
  }
  // Anyone besides the person looking counts as invited.
  const users = await get(`/users${query({ limit: 2 })}`);
  facts.people = users.items.some((user) => user.id !== me.user.id);
  return facts;
}

function setupSteps(me, facts) {
  const locationPage = facts.location ? `/admin/locations/${facts.location.id}` : "/admin";
  return [
    { id: "location", title: "Create a location", done: Boolean(facts.location), href: "/admin",
      hint: "A building people book desks in, with its address and time zone." },
    { id: "floor", title: "Add a floor", done: Boolean(facts.floor), href: `${locationPage}#floors`,
      hint: "Floors group the rooms of a location." },
    { id: "room", title: "Add a room", done: Boolean(facts.room), href: `${locationPage}#floors`,
      hint: "A room holds desks and can have a floor plan." },
    { id: "desks", title: "Place desks", done: facts.desks, href: facts.room ? `/admin/rooms/${facts.room.id}` : `${locationPage}#floors`,
      hint: "Upload the room's plan and drag desks onto it." },
    me.user.is_superuser
      ? { id: "people", title: "Invite people", done: facts.people, href: "/admin/users",
        hint: "Create accounts, or let people sign in with your single sign-on." }
      : { id: "people", title: "Give people access", done: facts.people, href: `${locationPage}#groups`,
        hint: "Groups decide who may book where." },
  ];
}
