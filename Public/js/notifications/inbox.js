// The inbox page: every notification, newest first, all or only the unread ones, a page at a time; marking one or
// all read; new ones arriving live at the top.
import { $, $$, errorText, fill, h, toast, busy } from "../lib/dom.js";
import { onReconnect, subscribe } from "../lib/live.js";
import { ownZone, zoneText } from "../lib/format.js";
import { clearLoadError, showLoadError } from "../lib/load-errors.js";
import { plural } from "../lib/words.js";
import { entryElement, isUnread, keepTimesFresh, showRead } from "./entry.js";
import { loadNotifications, markRead, onMarkedRead, onUnreadCount, unreadCount } from "./inbox-state.js";

const pageSize = 25;

/** What the page shows: the filter, the cursor of the next page, and a counter so that a late answer is dropped. */
const state = { unreadOnly: false, cursor: null, request: 0 };

export async function startInbox() {
  state.unreadOnly = new URLSearchParams(location.search).get("show") === "unread";
  for (const button of $$("[data-filter]")) {
    button.addEventListener("click", () => {
      const unreadOnly = button.dataset.filter === "unread";
      if (unreadOnly === state.unreadOnly) return;
      state.unreadOnly = unreadOnly;
      history.replaceState(null, "", unreadOnly ? "/notifications?show=unread" : "/notifications");
      load();
    });
  }
  $("#inbox-more").addEventListener("click", () => busy($("#inbox-more"), () => load({ more: true })));
  $("#inbox-mark-all").addEventListener("click", async () => {
    const button = $("#inbox-mark-all");
    button.disabled = true;
    try {
      await markRead(null);
      toast("All notifications marked read.");
    } catch (error) {
      toast(errorText(error), "error");
    } finally {
      button.disabled = unreadCount() === 0; // nothing left to mark
    }
  });
  onUnreadCount((count) => {
    $("#inbox-mark-all").disabled = count === 0;
    showSummary();
  });
  onMarkedRead((ids) => {
    for (const item of $$("#inbox-list [data-unread]")) {
      if (ids === null || ids.has(item.dataset.notificationId.toUpperCase())) showRead(item);
    }
  });
  subscribe("me", (message) => {
    if (message.type === "notification" && message.notification) arrived(message.notification);
  });
  onReconnect(() => load());
  keepTimesFresh($("#inbox-list"));
  $("#inbox-zone").textContent = `Times in your own zone, ${zoneText(ownZone())}.`;
  await load();
}

async function load({ more = false } = {}) {
  const request = ++state.request;
  const list = $("#inbox-list");
  for (const button of $$("[data-filter]")) button.setAttribute("aria-pressed", String((button.dataset.filter === "unread") === state.unreadOnly));
  list.setAttribute("aria-busy", "true");
  let page;
  try {
    page = await loadNotifications({ unreadOnly: state.unreadOnly, limit: pageSize, cursor: more ? state.cursor : null });
  } catch (error) {
    if (request !== state.request) return;
    showLoadError($("#inbox"), error, { what: "Your notifications", retry: () => load({ more }) });
    list.removeAttribute("aria-busy");
    return;
  }
  if (request !== state.request) return;
  clearLoadError($("#inbox"));
  const items = page.items.map(entry);
  if (more) list.append(...items); else fill(list, items);
  state.cursor = page.next_cursor ?? null;
  $("#inbox-more").hidden = !state.cursor;
  list.removeAttribute("aria-busy");
  showSummary();
  // After "Load more", the first new entry takes focus so that a keyboard user continues where the list grew.
  if (more) items[0]?.querySelector("a, [data-action]")?.focus();
}

function entry(notification) {
  const item = entryElement(notification, {
    headingLevel: 3,
    actions: isUnread(notification) && h("button", {
      type: "button", class: "button small quiet notification-read", text: "Mark read", dataset: { action: "read" },
      "aria-describedby": `notification-${notification.id}-title`,
      onClick: (event) => markOne(notification, event.currentTarget),
    }),
  });
  return item;
}

async function markOne(notification, button) {
  const item = button.closest("li");
  try {
    await busy(button, () => markRead([notification.id]));
    notification.read_at = new Date().toISOString();
    // The button is gone now: keep the keyboard in the list, on the entry itself.
    const target = item.querySelector(".notification-main");
    target.tabIndex = target.tabIndex >= 0 ? target.tabIndex : -1;
    target.focus();
  } catch (error) {
    toast(errorText(error), "error");
  }
}

/** A notification that arrived live goes on top, whichever filter is chosen: a new one is always unread. */
function arrived(notification) {
  const list = $("#inbox-list");
  if (list.querySelector(`[data-notification-id="${CSS.escape(notification.id)}"]`)) return;
  list.prepend(entry(notification));
  showSummary();
}

function showSummary() {
  const list = $("#inbox-list");
  if (list.hasAttribute("aria-busy") && list.children.length === 0) return;
  const shown = list.children.length;
  const unread = list.querySelectorAll("[data-unread]").length;
  const empty = shown === 0;
  $("#inbox-empty").hidden = !empty;
  $("#inbox-empty-title").textContent = state.unreadOnly ? "Nothing unread: you are up to date." : "No notifications yet.";
  const summary = $("#inbox-summary");
  summary.textContent = empty ? "" : `${plural(shown, "notification")} shown, ${unread} unread${state.cursor ? "; there are more" : ""}.`;
}
