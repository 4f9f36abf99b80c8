// The person's inbox as every part of a page sees it: the unread count the bell shows and the entries marked read,
// shared so that marking one read in the inbox page clears it in the bell's panel too. One module instance per page.
import { get, post, query } from "../lib/api.js";

let unread = null;
const countListeners = new Set();
const readListeners = new Set();

/** The unread count last heard from the server, or null before the first answer. */
export function unreadCount() {
  return unread;
}

/** Calls `listener(count)` now (when known) and after every change. Returns a function that stops it. */
export function onUnreadCount(listener) {
  countListeners.add(listener);
  if (unread !== null) listener(unread);
  return () => countListeners.delete(listener);
}

export function setUnreadCount(count) {
  unread = Math.max(0, count);
  for (const listener of countListeners) listener(unread);
}

/** One more unread notification arrived (live); before the first count is known the next read brings it. */
export function countArrival() {
  if (unread !== null) setUnreadCount(unread + 1);
}

/** Calls `listener(ids)` when entries were marked read here: `ids` is a Set of ids, or null for all of them. */
export function onMarkedRead(listener) {
  readListeners.add(listener);
  return () => readListeners.delete(listener);
}

/** A page of notifications, newest first: `{items, next_cursor, unread_count}`; the count is kept. */
export async function loadNotifications({ unreadOnly = false, limit = 20, cursor = null } = {}) {
  const page = await get(`/me/notifications${query({ unread: unreadOnly ? "true" : null, limit, cursor })}`);
  setUnreadCount(page.unread_count);
  return page;
}

/** Reads the unread count alone. */
export async function refreshUnreadCount() {
  return (await loadNotifications({ unreadOnly: true, limit: 1 })).unread_count;
}

/** Marks the notifications with `ids` read (all of them when `ids` is null). */
export async function markRead(ids) {
  const answer = await post("/me/notifications/read", ids === null ? { all: true } : { ids: [...ids] });
  const marked = ids === null ? null : new Set([...ids].map((id) => String(id).toUpperCase()));
  setUnreadCount(answer.unread_count);
  for (const listener of readListeners) listener(marked);
  return answer.unread_count;
}
