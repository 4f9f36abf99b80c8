// People named on a page: looked up by id once per page, and shown the same way everywhere.
import { h } from "./dom.js";
import { getOnce, remember } from "./cache.js";

const userPath = (id) => `/users/${String(id).toUpperCase()}`;

/** The person with this id, or null when they cannot be read (deleted, or not visible to the viewer). */
export function userById(id) {
  return id ? getOnce(userPath(id)).catch(() => null) : Promise.resolve(null);
}

/** The people a list of ids names: `Map(ID in upper case → user)`; ids that cannot be read are left out. */
export async function usersById(ids) {
  const wanted = [...new Set(ids.filter(Boolean).map((id) => String(id).toUpperCase()))];
  const users = await Promise.all(wanted.map(userById));
  return new Map(wanted.flatMap((id, i) => (users[i] ? [[id, users[i]]] : [])));
}

/** Keeps a person the page already has (picked in a search), so naming them later needs no request. */
export function rememberUser(user) {
  remember(userPath(user.id), user);
}

/** "Ann Becker (ann)". */
export function personText(user) {
  return `${user.display_name} (${user.username})`;
}

/** A person's name with their username set off, for lists. */
export function personLabel(user) {
  return h("span", { class: "person" }, h("span", { text: user.display_name }), " ",
    h("span", { class: "muted", text: `(${user.username})` }));
}
