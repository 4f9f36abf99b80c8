// Clock and calendar sums that lib/format.js does not do: policy times given as "HH:MM", ends at midnight, weeks,
// days in the page address, and how far ahead a location takes bookings.
import { addDays, formatClock, isIsoDay, localDate, localMinutes, weekdayOf } from "./format.js";

/** Whether a location with `policy` opens on a local day (`open_weekdays`: 1 = Monday … 7 = Sunday). */
export function isOpenDay(day, policy) {
  return !policy.open_weekdays || policy.open_weekdays.includes(weekdayOf(day) + 1);
}

/** Minutes since midnight of an "HH:MM" time such as a policy's "07:30" (450); "24:00" is 1440. */
export function minutesOf(text) {
  const [hours, minutes] = String(text).split(":").map(Number);
  return hours * 60 + (minutes || 0);
}

/** An "HH:MM" time in the person's clock format. */
export function clockText(text) {
  return formatClock(minutesOf(text));
}

/** The Monday of the week that contains the local day `day`. */
export function weekStart(day) {
  return addDays(day, -weekdayOf(day));
}

/**
 * The last local day a location's `policy` takes bookings for at `now`: `max_advance_days` ahead, one less before
 * the day's release time. Later days go by a draw when they open.
 */
export function lastOpenDay(policy, zone, now = new Date()) {
  const beforeRelease = localMinutes(now, zone) < minutesOf(policy.release_time);
  return addDays(localDate(now, zone), policy.max_advance_days - (beforeRelease ? 1 : 0));
}

/** Minutes since local midnight of an instant that ends something: an end at midnight counts as 1440 of the day before. */
export function endMinutes(instant, zone) {
  const minutes = localMinutes(instant, zone);
  return minutes === 0 ? 1440 : minutes;
}

/** The day the page address names with `?date=`, or null when it names none. */
export function dayFromAddress() {
  const date = new URLSearchParams(location.search).get("date");
  return isIsoDay(date) ? date : null;
}
