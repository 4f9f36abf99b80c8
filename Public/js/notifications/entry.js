// One notification as the bell's panel and the inbox page show it: title, message, when (in the person's own zone,
// as notifications belong to no place) and a link to what it is about.
import { h } from "../lib/dom.js";
import { addDays, formatDateTime, formatTime, localDate, ownZone, weekdayName, weekdayOf, zoneLabel } from "../lib/format.js";
import { markRead } from "./inbox-state.js";

/**
 * The notification's `link` when it is a path of this app, else null. Only paths are followed: `//host`, `/\host`,
 * anything with white space or control characters (which browsers strip, turning `/\t/host` into `//host`) or any
 * other scheme would lead away from DeskPilot.
 */
export function safeLink(link) {
  if (typeof link !== "string" || !/^\/(?![/\\])[^\s\x00-\x1f\x7f]*$/.test(link)) return null;
  try {
    return new URL(link, location.origin).origin === location.origin ? link : null;
  } catch {
    return null;
  }
}

/** "Just now", "12 min ago", "Today 14:05", "Yesterday 09:30", "Tue 17:45", or the date and time further back. */
export function whenText(instant, now = new Date()) {
  const zone = ownZone();
  const minutes = Math.floor((now.getTime() - new Date(instant).getTime()) / 60000);
  if (minutes < 1) return "Just now";
  if (minutes < 60) return `${minutes} min ago`;
  const day = localDate(instant, zone);
  const todayInZone = localDate(now, zone);
  if (day === todayInZone) return `Today ${formatTime(instant, zone)}`;
  if (day === addDays(todayInZone, -1)) return `Yesterday ${formatTime(instant, zone)}`;
  if (day > addDays(todayInZone, -7)) return `${weekdayName(weekdayOf(day))} ${formatTime(instant, zone)}`;
  return formatDateTime(instant, zone);
}

/** A `<time>` that says when, relatively, with the full date, time and zone as its tooltip. */
export function whenElement(instant, className = "notification-time") {
  const element = h("time", { class: className, datetime: instant, dataset: { relative: "" } });
  showWhen(element);
  return element;
}

function showWhen(element) {
  const instant = element.getAttribute("datetime");
  const zone = ownZone();
  element.textContent = whenText(instant);
  element.title = `${formatDateTime(instant, zone)} ${zoneLabel(zone, instant)}`;
}

/** Relative times go stale: "Just now" must become "3 min ago". Renews those inside `root` every minute. */
export function keepTimesFresh(root) {
  return setInterval(() => { for (const element of root.querySelectorAll("time[data-relative]")) showWhen(element); }, 60000);
}

export const isUnread = (notification) => !notification.read_at;

/**
 * The entry `<li>` of a notification. With a safe link its text is a link that marks it read on the way; `actions`
 * are extra controls (the inbox's "Mark read").
 */
export function entryElement(notification, { headingLevel = null, actions = null } = {}) {
  const link = safeLink(notification.link);
  const unread = isUnread(notification);
  const titleId = `notification-${notification.id}-title`;
  const title = h(headingLevel ? `h${headingLevel}` : "span", { class: "notification-title", id: titleId },
    unread && h("span", { class: "visually-hidden", text: "Unread: " }), notification.title);
  const body = [
    title,
    h("span", { class: "notification-message", text: notification.message }),
    whenElement(notification.created_at),
  ];
  const main = link
    ? h("a", { class: "notification-main", href: link, onClick: (event) => follow(event, notification) }, body)
    : h("div", { class: "notification-main" }, body);
  return h("li", {
    class: "notification-entry", dataset: { notificationId: notification.id, kind: notification.kind, ...(unread ? { unread: "" } : {}) },
  }, main, actions);
}

/** Shows an entry as read (after it was marked read here or elsewhere on the page). */
export function showRead(item) {
  if (!item || !("unread" in item.dataset)) return;
  delete item.dataset.unread;
  item.querySelector(".notification-title .visually-hidden")?.remove();
  item.querySelector("[data-action=read]")?.remove();
}

/**
 * Following a notification's link marks it read first, so that the count is right on the page it leads to. A click
 * that opens a new tab or window leaves this page as it is and marks it read alongside.
 */
async function follow(event, notification) {
  if (!isUnread(notification)) return;
  notification.read_at = new Date().toISOString();
  const newTab = event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey;
  if (newTab) {
    markRead([notification.id]).catch(() => { notification.read_at = null; });
    return;
  }
  event.preventDefault();
  const href = event.currentTarget.getAttribute("href");
  // The link is followed even when marking fails or hangs: reading it matters more than the dot.
  await Promise.race([markRead([notification.id]).catch(() => {}), new Promise((resolve) => { setTimeout(resolve, 1500); })]);
  location.assign(href);
}
