// A desk's state for a chosen time window, and how to say it in words: colour is never the only signal.
import { endMinutes } from "../lib/calendar.js";
import { formatClock, formatTime } from "../lib/format.js";

/** The six states in legend order, with their words. */
export const STATES = [
  { key: "free", label: "Free" },
  { key: "booked", label: "Booked" },
  { key: "held", label: "Being booked" },
  { key: "permanent", label: "Permanent desk" },
  { key: "maintenance", label: "Not available" },
  { key: "mine", label: "Yours" },
];

export const stateLabel = (key) => STATES.find((s) => s.key === key)?.label ?? key;

/** Whether opening the booking dialog makes sense: the desk can take a booking from me at some time. */
export function isBookable(state) {
  return state !== "maintenance" && state !== "permanent";
}

/**
 * The desk's state in [from, to) for me, by precedence: maintenance (room under maintenance or desk inactive),
 * permanent (someone else's; mine when it is mine), mine (my booking overlaps), booked (another booking overlaps),
 * held (someone else has its booking dialog open now), free. `free` lists the parts of a taken window still free.
 */
export function deskState(desk, availability, from, to) {
  const info = availability.desk(desk.id);
  const busy = availability.busyOf(desk.id, from, to);
  const result = (state) => ({ state, busy, free: busy.length ? freeParts(busy, from, to) : [] });
  if (availability.maintenanceDuring(from, to) || !desk.is_active || info?.status === "inactive") return { state: "maintenance", busy, free: [] };
  if (info?.permanent) return { state: availability.myPermanentDesks.has(desk.id) ? "mine" : "permanent", busy, free: [] };
  if (busy.some((b) => b.mine)) return result("mine");
  if (busy.length) return result("booked");
  if (availability.heldByOther(desk.id)) return result("held");
  return result("free");
}

/** The parts of [from, to) that no booking in `busy` (sorted by start) covers. */
function freeParts(busy, from, to) {
  const parts = [];
  let cursor = +from;
  for (const b of busy) {
    if (b.start > cursor) parts.push({ start: cursor, end: b.start });
    cursor = Math.max(cursor, b.end);
  }
  if (cursor < +to) parts.push({ start: cursor, end: +to });
  return parts;
}

/** "09:00–12:00 (Max Weber)", "09:00–12:00 (you)"; the name only where the privacy setting shows it. */
export function describeBusy(b, availability, zone) {
  const who = b.mine ? "you" : availability.bookerName(b.userId);
  return `${timeSpan(b.start, b.end, zone)}${who ? ` (${who})` : ""}`;
}

/** "09:00–17:00"; an end at midnight reads 24:00. */
export function timeSpan(start, end, zone) {
  return `${formatTime(start, zone)}–${formatClock(endMinutes(end, zone))}`;
}

/** "Desk A1, free 09:00–17:00" and its kin, for labels and the list. */
export function describeDesk(desk, { state, busy, free }, availability, windowText, zone) {
  const taken = busy.map((b) => describeBusy(b, availability, zone)).join(", ");
  const rest = free.length ? `; free ${free.map((f) => timeSpan(f.start, f.end, zone)).join(", ")}` : "";
  const words = {
    free: `free ${windowText}`,
    booked: `booked ${taken}${rest}`,
    mine: busy.length ? `booked ${taken}${rest}` : "your permanent desk",
    held: "someone is booking it right now",
    permanent: "permanently assigned to someone else",
    maintenance: desk.is_active ? "room under maintenance" : "not in use",
  };
  return `Desk ${desk.name}, ${words[state]}`;
}
