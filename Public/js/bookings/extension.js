// What "Extend" may offer: only the new end times the server will accept. The location's policy gives the day's
// bookable hours, the booking window, the longest booking and the time steps; the desk's availability gives the next
// booking on it; the person's own bookings give the next desk they hold (one desk at a time by default).
import { all, get, query } from "../lib/api.js";
import { isOpenDay, lastOpenDay, minutesOf } from "../lib/calendar.js";
import { addDays, formatClock, formatDayWithWeekday, formatDuration, formatTime, localDate, localMinutes, weekdayName, weekdayOf, zonedInstant } from "../lib/format.js";

const ms = (value) => new Date(value).getTime();

/** The facts an extension depends on beyond the policy: read fresh whenever the form opens. */
export async function extensionFacts(booking, placeZone) {
  const day = localDate(booking.start, placeZone);
  const range = { from: new Date(booking.end).toISOString(), to: zonedInstant(addDays(day, 1), 0, placeZone).toISOString() };
  // A booking that ends with its day has nothing after it to read.
  if (range.from >= range.to) return { now: Date.now(), underMaintenance: false, deskBusy: [], heldByOther: false, myOther: [] };
  const [report, mine] = await Promise.all([
    get(`/rooms/${booking.room_id}/availability${query(range)}`),
    all("/bookings", { mine: true, ...range }),
  ]);
  const desk = report.desks.find((d) => d.desk_id === booking.desk_id);
  return {
    now: ms(report.now),
    underMaintenance: report.under_maintenance,
    /** The room's current or scheduled maintenance period, `{reason, from, until}`. */
    maintenance: report.maintenance ?? null,
    /** Others' (and my other) bookings of this desk after this one, by start. */
    deskBusy: (desk?.busy ?? []).filter((b) => b.booking_id !== booking.id).map((b) => ({ start: ms(b.start), mine: report.mine.booking_ids.includes(b.booking_id) })),
    heldByOther: Boolean(desk?.hold_expires_at && ms(desk.hold_expires_at) > ms(report.now) && !report.mine.held_desk_ids.includes(booking.desk_id)),
    /** My bookings of other desks after this one. */
    myOther: mine.filter((b) => b.id !== booking.id && b.desk_id !== booking.desk_id && b.status === "confirmed")
      .map((b) => ({ start: ms(b.start), deskName: b.desk_name })),
  };
}

/**
 * The end times to offer, `{choices: [{end, label}], reason}`: every step after the current end up to the first limit
 * the server would enforce. `reason` says which limit stops the list (why there is nothing to offer when `choices`
 * is empty, else where and why the list ends). `placeZone` is where the policy applies, `shownZone` where the person
 * reads times.
 */
export function extensionOptions(booking, policy, facts, placeZone, shownZone) {
  const day = localDate(booking.start, placeZone);
  const none = (reason) => ({ choices: [], reason });
  if (!policy) return none("The location's rules could not be read, so no new end can be offered.");
  if (!isOpenDay(day, policy)) {
    return none(`The location is closed on ${weekdayName(weekdayOf(day), { long: true })}s.`);
  }
  // Maintenance is a period: no booking may reach into it, whether it runs now or starts later.
  const maintenance = facts.maintenance;
  const maintenanceUntil = maintenance?.until ? ms(maintenance.until) : Infinity;
  if (maintenance && ms(maintenance.from) <= ms(booking.end) && maintenanceUntil > ms(booking.end)) {
    return none(`The room is under maintenance: ${maintenance.reason}.`);
  }
  if (!maintenance && facts.underMaintenance) return none("The room is under maintenance.");
  const last = lastOpenDay(policy, placeZone, new Date(facts.now));
  if (day > last) return none(`Bookings are open up to ${formatDayWithWeekday(last)}.`);
  if (facts.heldByOther) return none("Someone else is booking this desk right now. Try again in a minute.");

  const start = ms(booking.start), end = ms(booking.end);
  const step = policy.granularity_minutes;
  const at = (instant) => formatTime(new Date(instant), shownZone);
  // The limits, each with what the person is told when it is the one that stops the list.
  const close = minutesOf(policy.bookable_until);
  const limits = [
    { until: zonedInstant(day, close, placeZone).getTime(), why: (t) => `Bookable until ${t}, the location's closing time.` },
    { until: start + policy.max_duration_minutes * 60000, why: () => `A booking lasts at most ${formatDuration(policy.max_duration_minutes)}.` },
  ];
  if (maintenance && ms(maintenance.from) > end) {
    limits.push({ until: ms(maintenance.from), why: (t) => `The room is under maintenance from ${t}: ${maintenance.reason}.` });
  }
  const nextOnDesk = facts.deskBusy.filter((b) => b.start >= end).sort((a, b) => a.start - b.start)[0];
  if (nextOnDesk) {
    limits.push({ until: nextOnDesk.start, why: (t) => (nextOnDesk.mine ? `You have this desk booked again from ${t}.` : `The desk is booked by someone else from ${t}.`) });
  }
  if (policy.max_concurrent_per_user === 1) {
    const nextOfMine = facts.myOther.filter((b) => b.start >= end).sort((a, b) => a.start - b.start)[0];
    if (nextOfMine) limits.push({ until: nextOfMine.start, why: (t) => `Your booking of desk ${nextOfMine.deskName ?? ""} starts at ${t}; you hold one desk at a time.` });
  }
  const limit = limits.reduce((first, l) => (l.until < first.until ? l : first));

  const endMinutes = localDate(booking.end, placeZone) === day ? localMinutes(booking.end, placeZone) : 1440;
  const choices = [];
  for (let minutes = Math.floor(endMinutes / step) * step + step; minutes <= Math.min(close, 1440); minutes += step) {
    const candidate = zonedInstant(day, minutes, placeZone);
    if (candidate.getTime() > limit.until) break;
    const clock = minutes === 1440 && shownZone === placeZone ? formatClock(1440) : formatTime(candidate, shownZone);
    choices.push({ end: candidate, label: `${clock} (+${formatDuration(minutes - endMinutes)})` });
  }
  const limitText = limit.why(at(Math.min(limit.until, zonedInstant(day, close, placeZone).getTime())));
  if (choices.length === 0) return none(`It cannot be extended. ${limitText}`);
  return { choices, reason: limitText };
}
