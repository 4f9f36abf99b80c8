// Time arithmetic for the bookings page: calendar periods and check-in (extension choices: extension.js).
import { weekStart } from "../lib/calendar.js";
import { addDays, localDate, localMinutes, weekdayOf, zonedInstant } from "../lib/format.js";

const pad = (n) => String(n).padStart(2, "0");

/** Minutes from the local midnight of `day` to an instant, so the end of a day counts as 1440. */
function minutesIntoDay(instant, day, zone) {
  return localDate(instant, zone) === day ? localMinutes(instant, zone) : 1440;
}

export const isOngoing = (booking, now = Date.now()) => new Date(booking.start) <= now && new Date(booking.end) > now;

/** Whether the booking can still be changed or cancelled: confirmed and not over. */
export const isOpen = (booking, now = Date.now()) => booking.status === "confirmed" && new Date(booking.end) > now;

/** Whether to offer check-in: the location requires it, and (as on the server) it opens 15 minutes before the start
 * and closes when the grace period ends. */
export function checkInDue(booking, policy, now = Date.now()) {
  if (!policy?.check_in_required || booking.checked_in_at || booking.status !== "confirmed") return false;
  const start = new Date(booking.start).getTime();
  const closes = Math.min(new Date(booking.end).getTime(), start + policy.check_in_grace_minutes * 60000);
  return now >= start - 15 * 60000 && now < closes;
}

/** The days a calendar view shows around `anchor`: one day, the week from Monday, or the month's weeks. */
export function periodOf(view, anchor) {
  if (view === "day") return { first: anchor, count: 1 };
  if (view === "week") return { first: weekStart(anchor), count: 7 };
  const firstOfMonth = `${anchor.slice(0, 8)}01`;
  const lastOfMonth = addDays(shiftMonth(firstOfMonth, 1), -1);
  const first = weekStart(firstOfMonth);
  const last = addDays(lastOfMonth, 6 - weekdayOf(lastOfMonth));
  return { first, count: daysBetween(first, last) + 1 };
}

export function daysOf(period) {
  return Array.from({ length: period.count }, (_, i) => addDays(period.first, i));
}

/** The anchor one period earlier (-1) or later (+1). */
export function shiftAnchor(view, anchor, direction) {
  if (view === "day") return addDays(anchor, direction);
  if (view === "week") return addDays(anchor, 7 * direction);
  return shiftMonth(`${anchor.slice(0, 8)}01`, direction);
}

function shiftMonth(firstOfMonth, months) {
  const [y, m] = firstOfMonth.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1 + months, 1));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-01`;
}

function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}

/**
 * The part of a booking that falls on a local day: `{top, bottom}` in minutes since that day's midnight, or null.
 */
export function segmentOn(booking, day, zone) {
  const dayStart = zonedInstant(day, 0, zone), dayEnd = zonedInstant(addDays(day, 1), 0, zone);
  const start = new Date(booking.start), end = new Date(booking.end);
  if (end <= dayStart || start >= dayEnd) return null;
  return {
    top: start <= dayStart ? 0 : localMinutes(start, zone),
    bottom: end >= dayEnd ? 1440 : minutesIntoDay(end, day, zone),
  };
}

/** "in 2 d 3 h", "in 45 min", or "now" for a time in the future. */
export function countdown(instant, now = Date.now()) {
  const minutes = Math.ceil((new Date(instant).getTime() - now) / 60000);
  if (minutes <= 0) return "now";
  const days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60), rest = minutes % 60;
  if (days > 0) return `in ${days} d${hours ? ` ${hours} h` : ""}`;
  if (hours > 0) return `in ${hours} h${rest ? ` ${rest} min` : ""}`;
  return `in ${rest} min`;
}
