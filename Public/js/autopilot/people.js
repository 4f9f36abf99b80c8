// People named on the oversight page: looked up by id once, and found by what an administrator types.
import { get, query } from "../lib/api.js";
import { fill, h } from "../lib/dom.js";

const byId = new Map();

export function userById(id) {
  if (!byId.has(id)) byId.set(id, get(`/users/${id}`).catch(() => ({ id, username: "unknown", display_name: "Someone no longer listed" })));
  return byId.get(id);
}

export const personLabel = (user) => `${user.display_name} (${user.username})`;

/**
 * The one person `text` names, as `{user}`: an exact username or name wins, else the only match. `{problem}` says
 * why there is none.
 */
export async function findPerson(text) {
  const wanted = text.trim().toLowerCase();
  const { items } = await get(`/users${query({ q: text.trim(), limit: 20 })}`);
  const exact = items.filter((user) => user.username.toLowerCase() === wanted || user.display_name.toLowerCase() === wanted);
  const found = exact.length === 1 ? exact[0] : items.length === 1 ? items[0] : null;
  if (found) {
    byId.set(found.id, Promise.resolve(found));
    return { user: found };
  }
  return { problem: items.length ? "Several people match: type more of the username." : "No one matches." };
}

/** Offers matching usernames in `datalist` while `input` is typed into. */
export function suggestPeople(input, datalist) {
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) return;
    timer = setTimeout(async () => {
      try {
        const { items } = await get(`/users${query({ q: text, limit: 10 })}`);
        fill(datalist, items.map((user) => h("option", { value: user.username, label: user.display_name })));
      } catch { /* suggestions are a convenience; the search itself reports errors */ }
    }, 250);
  });
}
