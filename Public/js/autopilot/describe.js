// Words for autopilot states and rules, shared by the person's page and the oversight page.
import { clockText } from "../lib/calendar.js";
import { h } from "../lib/dom.js";
import { formatDay, weekdayName } from "../lib/format.js";

export const ruleStatuses = {
  active: { label: "Active", kind: "ok" },
  paused: { label: "Paused", kind: "" },
  suspended: { label: "Suspended", kind: "danger" },
  error: { label: "Error", kind: "danger" },
};

export const ruleModes = {
  book: { label: "Books" },
  watch: { label: "Watches" },
};

export const requestStatuses = {
  pending: { label: "Waiting for the draw", kind: "" },
  won: { label: "Got a desk", kind: "ok" },
  waitlisted: { label: "On the waitlist", kind: "warn" },
  cancelled: { label: "Cancelled", kind: "" },
  expired: { label: "Day ended without a desk", kind: "danger" },
  failed: { label: "Could not be served", kind: "danger" },
  withdrawn: { label: "Taken back by the rule", kind: "" },
};

/** Statuses of a request that still waits for a desk. */
export const openRequestStatuses = new Set(["pending", "waitlisted"]);

/** "09:00–17:00" of an API window, in the person's clock format. */
export function windowText(window) {
  return window ? `${clockText(window.from)}–${clockText(window.until)}` : "the whole bookable day";
}

/** "Mon, Tue, Wed" of ISO weekdays (1 = Monday). */
export function weekdaysText(weekdays) {
  if (weekdays.length === 7) return "every day";
  if (weekdays.length === 5 && weekdays.every((d) => d <= 5)) return "Monday to Friday";
  return weekdays.map((d) => weekdayName(d - 1)).join(", ");
}

export function daysText(days) {
  return days.map(formatDay).join(", ");
}

export function spansText(spans) {
  return spans.map((span) => `${formatDay(span.from)} to ${formatDay(span.to)}`).join(", ");
}

/** "Won 3 · On the waitlist 1", leaving out the outcomes that never happened. */
export function countersText(counters) {
  const parts = Object.entries(counters ?? {}).filter(([, n]) => n > 0)
    .map(([status, n]) => `${requestStatuses[status]?.label ?? status}: ${n}`);
  return parts.length ? parts.join(" · ") : "No requests filed yet";
}

/** Text of a rule's status, with why it stopped where there is a reason. */
export function statusReasonText(rule) {
  if (!rule.status_reason) return null;
  if (rule.status === "suspended") return `Suspended by an administrator: ${rule.status_reason}`;
  if (rule.status === "error") return `Stopped on an error: ${rule.status_reason}`;
  return rule.status_reason;
}

export function badge(label, kind = "") {
  return h("span", { class: `badge ${kind}`.trim(), text: label });
}

export function ruleStatusBadge(rule) {
  const status = ruleStatuses[rule.status] ?? { label: rule.status, kind: "" };
  return badge(status.label, status.kind);
}

export function requestStatusBadge(request) {
  const status = requestStatuses[request.status] ?? { label: request.status, kind: "" };
  const rank = request.status === "waitlisted" && request.waitlist_rank != null ? ` (place ${request.waitlist_rank + 1})` : "";
  return badge(status.label + rank, status.kind);
}
