// Where the room page starts: the person's usual hours on the first day that can still be booked, so that most
// people see the desks free for the time they want without touching a control.
import { all } from "../lib/api.js";
import { isOpenDay, lastOpenDay, minutesOf } from "../lib/calendar.js";
import { addDays, localDate, localMinutes, weekdayName, weekdayOf } from "../lib/format.js";

/** How far back, and how many of the latest bookings, make "usual". */
const lookBackDays = 90;
const lookAheadDays = 30;
const latestBookings = 20;

/** Why a day cannot be booked at all because the location is closed then, or null. */
export function closedDayReason(day, policy, placeName) {
  if (isOpenDay(day, policy)) return null;
  return `${placeName} is closed on ${weekdayName(weekdayOf(day), { long: true })}s.`;
}

/** The most frequent value, the latest one winning a tie. */
function mostCommon(values) {
  const counts = new Map();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best = null, bestCount = 0;
  for (const value of values) {
    const count = counts.get(value);
    if (count >= bestCount) { best = value; bestCount = count; }
  }
  return best;
}

/**
 * The hours the person usually books at this location, `{from, until}` in local minutes, from their latest bookings
 * there: the most common start, and the most common end of the bookings that start then. Null without any.
 */
export function usualWindow(bookings, locationId, zone) {
  const here = bookings
    .filter((b) => b.location_id === locationId && b.status !== "cancelled")
    .sort((a, b) => new Date(a.start) - new Date(b.start))
    .slice(-latestBookings)
    .map((b) => {
      const from = localMinutes(b.start, zone);
      const end = localMinutes(b.end, zone);
      return { from, until: end === 0 ? 1440 : end };
    })
    .filter((w) => w.until > w.from);
  if (here.length === 0) return null;
  const from = mostCommon(here.map((w) => w.from));
  const until = mostCommon(here.filter((w) => w.from === from).map((w) => w.until));
  return { from, until };
}

/**
 * The person's latest bookings (any location): the past weeks and what they have booked ahead, which is their most
 * recent choice. An empty list when they cannot be read: the page starts anyway.
 */
export async function recentBookings(now = new Date()) {
  const from = new Date(now.getTime() - lookBackDays * 86400000).toISOString();
  const to = new Date(now.getTime() + lookAheadDays * 86400000).toISOString();
  try {
    return await all("/bookings", { mine: true, status: "all", from, to }, 200);
  } catch {
    return [];
  }
}

/**
 * Where the page starts: `{day, window}`. The window is the usual one, else 09:00 for the person's default duration,
 * clipped to what is bookable that day (grid, bookable hours, the time already passed, the longest booking). Unless
 * the address names a day, the day is today, or the next open day when today is closed or over for those hours.
 */
export function startingView({ addressDay, usual, policy, zone, now, durationMinutes }) {
  const open = minutesOf(policy.bookable_from), close = minutesOf(policy.bookable_until);
  const step = policy.granularity_minutes;
  const shortest = Math.max(step, policy.min_duration_minutes);
  const today = localDate(now, zone);
  const nextStep = Math.ceil(localMinutes(now, zone) / step) * step;
  const standard = { from: 9 * 60, until: 9 * 60 + Math.max(step, durationMinutes) };

  /** `wanted` on `day`, clipped to what can be booked there; null when too little is left. */
  const fit = (wanted, day) => {
    let from = Math.max(open, Math.floor(wanted.from / step) * step);
    if (day === today) from = Math.max(from, nextStep);
    const until = Math.min(close, Math.ceil(wanted.until / step) * step, from + policy.max_duration_minutes);
    return until - from >= shortest ? { from, until } : null;
  };

  if (addressDay) {
    const window = fit(usual ?? standard, addressDay) ?? fit(standard, addressDay)
      ?? { from: Math.max(open, close - shortest), until: close };
    return { day: addressDay, window };
  }
  const last = lastOpenDay(policy, zone, now);
  for (const wanted of usual ? [usual, standard] : [standard]) {
    for (let day = today; day <= last; day = addDays(day, 1)) {
      if (!isOpenDay(day, policy)) continue;
      const window = fit(wanted, day);
      if (window) return { day, window };
    }
  }
  return { day: today, window: { from: open, until: Math.min(close, open + shortest) } };
}
