// A rule's outlook (the API's `outlook`) in plain words: what stands on the days it targets now, and what it does next.
// Times are the location's, labelled with its city where the person's own clock differs.
import { formatDateTime, formatDayWithWeekday, placeTimeLabel } from "../lib/format.js";

/** "a, b and c". */
function joinWords(items) {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** "1st", "2nd", "11th", "23rd". */
function ordinal(n) {
  if (n % 100 >= 11 && n % 100 <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th"}`;
}

/** "Mon 2026-03-23 00:00", with "Berlin time" where the person's own clock differs from the location's. */
function when(instant, zone) {
  const label = placeTimeLabel(zone, instant);
  return label ? `${formatDateTime(instant, zone)} ${label}` : formatDateTime(instant, zone);
}

const day = (entry) => formatDayWithWeekday(entry.date);
const withDesk = (entry) => (entry.desk ? `${day(entry)} (${entry.desk.name})` : day(entry));

/** One sentence per kind of day, in the order a person reads them: settled first, then waiting, then still to do. */
const sentences = [
  ["booked", (days) => `${joinWords(days.map(withDesk))} already booked: nothing to ask for.`],
  ["won", (days) => `Booked for you: ${joinWords(days.map(withDesk))}.`],
  ["waiting", (days, zone, now) => joinWords(days.map((entry) => (new Date(entry.opens_at) > now
    ? `${day(entry)} asked for: its draw runs when the day opens, ${when(entry.opens_at, zone)}`
    : `${day(entry)} asked for: its draw is running now`))) + "."],
  ["waitlisted", (days) => `${joinWords(days.map((entry) => `${day(entry)} on the waitlist, ${ordinal(entry.waitlist_position ?? 1)} in line`))}.`],
  ["lost", (days) => `${joinWords(days.map((entry) => `${day(entry)} got no desk${entry.reason ? ` (${entry.reason})` : ""}`))}.`],
  ["cancelled", (days) => `${joinWords(days.map(day))} left alone: you cancelled.`],
  ["to_ask", (days) => `Asking for ${joinWords(days.map(day))} now.`],
];

/**
 * `{now: [sentences], next: sentence}` for a rule in `location` (for its zone); `now` is empty when nothing stands
 * on its days, `next` null when the rule asks for nothing ahead.
 */
export function outlookText(rule, location, now = new Date()) {
  const outlook = rule.outlook;
  if (!outlook) return { now: [], next: null };
  const zone = location?.timezone ?? "UTC";
  if (outlook.permanent_desk) {
    return { now: [`Desk ${outlook.permanent_desk.name} is yours permanently here, so this rule asks for nothing.`], next: null };
  }
  const lines = sentences.map(([state, say]) => {
    const days = outlook.days.filter((entry) => entry.state === state);
    return days.length ? say(days, zone, now) : null;
  }).filter(Boolean);
  return { now: lines, next: nextText(rule, zone) };
}

function nextText(rule, zone) {
  if (rule.mode === "watch") return "Watches only: tells you when a matching desk frees up on these days; books nothing.";
  if (rule.status === "paused") return "Paused: asks for nothing until you resume it.";
  if (rule.status !== "active") return "Asks for nothing until it runs again.";
  const next = rule.outlook.next_ask;
  if (!next) return "None of its days lies ahead any more: add weekdays or days to keep it working.";
  return `Will ask for ${formatDayWithWeekday(next.date)} before it opens on ${when(next.opens_at, zone)}.`;
}
