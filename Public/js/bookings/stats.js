// The "at a glance" panel from GET /me/stats, with a countdown to the next booking that moves every minute.
import { get } from "../lib/api.js";
import { $, errorText, fill, h } from "../lib/dom.js";
import { formatDuration, formatPlaceRange, formatTime, placeTimeLabel, weekdayName, zoneFor } from "../lib/format.js";
import { plural } from "../lib/words.js";
import { shownZone } from "./places.js";
import { countdown } from "./times.js";

let stats = null;
let readSerial = 0;
/** Bookings the panel mentions, for their zones and desk names. */
let mentioned = new Map();

/** Reads the numbers and shows them; `findBooking(id)` resolves to the booking a number mentions. */
export async function loadStats(findBooking) {
  const serial = ++readSerial;
  try {
    const fresh = await get("/me/stats");
    const ids = [fresh.active_now?.booking_id, fresh.next_booking?.booking_id].filter(Boolean);
    const found = await Promise.all(ids.map((id) => findBooking(id).catch(() => null)));
    if (serial !== readSerial) return; // a newer read is under way
    stats = fresh;
    mentioned = new Map(found.filter(Boolean).map((booking) => [booking.id, booking]));
    renderStats();
  } catch (error) {
    if (serial === readSerial) fill($("#stats-body"), entry("Numbers", h("span", { class: "form-error", text: errorText(error) })));
  }
}

const entry = (term, ...details) => [h("dt", { text: term }), h("dd", {}, ...details)];

function renderStats() {
  fill($("#stats-body"),
    entry("Now", activeText()),
    entry("Next booking", ...nextBooking()),
    entry("This week", formatDuration(stats.hours_this_week * 60)),
    entry("This month", formatDuration(stats.hours_this_month * 60)),
    entry("Upcoming", plural(stats.upcoming_count, "booking")),
    entry("Favourite location", stats.favourite_location?.name ?? "—"),
    entry("Favourite desk", stats.favourite_desk?.name ?? "—"),
    entry("Busiest weekday", stats.busiest_weekday ? weekdayName(stats.busiest_weekday - 1, { long: true }) : "—"));
  $("#stats-zone").textContent = "Weeks, months and weekdays are counted in each booking's own location time.";
}

function activeText() {
  const active = stats.active_now;
  if (!active) return "No desk booked right now";
  const booking = mentioned.get(active.booking_id);
  const zone = booking ? shownZone(booking) : zoneFor(null);
  const left = Math.max(0, Math.ceil((new Date(active.ends_at) - Date.now()) / 60000));
  const label = placeTimeLabel(zone, active.ends_at);
  return `${booking ? `Desk ${booking.desk_name} ` : ""}until ${formatTime(active.ends_at, zone)}${label ? ` ${label}` : ""} (${formatDuration(left)} left)`;
}

function nextBooking() {
  const next = stats.next_booking;
  if (!next) return ["Nothing planned"];
  const booking = mentioned.get(next.booking_id);
  const zone = booking ? shownZone(booking) : zoneFor(null);
  return [
    h("span", { class: "stat-next", text: `Desk ${next.desk_name}, ${formatPlaceRange(next.start, next.end, zone)}` }),
    h("strong", { class: "stat-countdown", id: "next-countdown", text: startsText(next.start) }),
  ];
}

const startsText = (start) => {
  const left = countdown(start);
  return left === "now" ? "starts now" : `starts ${left}`;
};

/**
 * Moves the countdown and the time left on. Returns true when the panel has gone stale (the next booking
 * started or the current one ended) and should be read again.
 */
export function tickStats() {
  if (!stats) return false;
  const now = Date.now();
  const stale = (stats.next_booking && new Date(stats.next_booking.start) <= now)
    || (stats.active_now && new Date(stats.active_now.ends_at) <= now);
  if (!stale) renderStats();
  return Boolean(stale);
}
