// The bell in the top bar of every signed-in page: the unread count, live over the `me` topic, and a panel with the
// latest notifications (a disclosure: Escape or a click elsewhere closes it and focus returns to the bell).
import { errorText, fill, toast } from "../lib/dom.js";
import { onReconnect, subscribe } from "../lib/live.js";
import { entryElement, keepTimesFresh, showRead } from "./entry.js";
import { countArrival, loadNotifications, markRead, onMarkedRead, onUnreadCount, refreshUnreadCount, unreadCount } from "./inbox-state.js";

/** How many the panel lists; the inbox page has the rest. */
const panelSize = 8;

const root = document.getElementById("bell");
if (root) startBell(root);

function startBell(bell) {
  const button = bell.querySelector("#bell-button");
  const badge = bell.querySelector("#bell-count");
  const panel = bell.querySelector("#bell-panel");
  const list = panel.querySelector("#bell-list");
  const status = panel.querySelector("#bell-status");
  const markAll = panel.querySelector("#bell-mark-all");

  onUnreadCount((count) => {
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.hidden = count === 0;
    button.setAttribute("aria-label", count === 0 ? "Notifications, none unread" : `Notifications, ${count} unread`);
    button.title = count === 0 ? "Notifications" : `${count} unread`;
    markAll.disabled = count === 0;
  });
  refreshUnreadCount().catch(() => { /* the page reports a dead session or server itself */ });

  const isOpen = () => !panel.hidden;
  const close = ({ returnFocus = true } = {}) => {
    if (!isOpen()) return;
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (returnFocus) button.focus();
  };
  const open = async () => {
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    panel.focus();
    await fillPanel();
  };

  async function fillPanel() {
    list.setAttribute("aria-busy", "true");
    status.textContent = list.children.length ? "" : "Loading…";
    try {
      const page = await loadNotifications({ limit: panelSize });
      fill(list, page.items.map((notification) => entryElement(notification)));
      status.textContent = page.items.length ? "" : "Nothing yet. Bookings made or changed for you, desks you won, "
        + "reminders and autopilot news show up here.";
    } catch (error) {
      status.textContent = `Notifications could not load: ${errorText(error)}`;
    } finally {
      list.removeAttribute("aria-busy");
    }
  }

  button.addEventListener("click", () => (isOpen() ? close() : open()));
  bell.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen()) {
      event.stopPropagation();
      close();
    }
  });
  document.addEventListener("click", (event) => {
    if (isOpen() && !bell.contains(event.target)) close({ returnFocus: false });
  });
  // Tabbing out of the panel closes it, like any disclosure that floats over the page.
  bell.addEventListener("focusout", (event) => {
    if (isOpen() && event.relatedTarget && !bell.contains(event.relatedTarget)) close({ returnFocus: false });
  });

  markAll.addEventListener("click", async () => {
    try {
      await markRead(null);
      panel.focus(); // the button is disabled now: keep the keyboard in the panel
      toast("All notifications marked read.");
    } catch (error) {
      toast(errorText(error), "error");
    }
  });
  onMarkedRead((ids) => {
    for (const item of list.querySelectorAll("[data-unread]")) {
      if (ids === null || ids.has(item.dataset.notificationId.toUpperCase())) showRead(item);
    }
  });

  subscribe("me", (message) => {
    if (message.type !== "notification" || !message.notification) return;
    const notification = message.notification;
    if (list.querySelector(`[data-notification-id="${CSS.escape(notification.id)}"]`)) return;
    countArrival();
    if (isOpen()) {
      list.prepend(entryElement(notification));
      while (list.children.length > panelSize) list.lastElementChild.remove();
      status.textContent = "";
    } else if (!document.getElementById("inbox-list")) {
      // The inbox page lists it at once; elsewhere a short message says something came in.
      toast(`${notification.title}: ${notification.message}`, "info", { key: "notification" });
    }
  });
  // What arrived while the socket was down, or was read in another tab, is counted again.
  const recount = () => refreshUnreadCount().then(() => { if (isOpen()) fillPanel(); }).catch(() => {});
  onReconnect(recount);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible" && unreadCount() !== null) recount(); });
  keepTimesFresh(list);
}
