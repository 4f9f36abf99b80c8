// The list view: bookings grouped by the local day they start on.
import { fill, h } from "../lib/dom.js";
import { addDays, formatDayWithWeekday, localDate, today } from "../lib/format.js";
import { bookingItem } from "./item.js";
import { shownZone } from "./places.js";

/** Fills `box` with one section per day, in the order the bookings come in. */
export function renderList(box, bookings, on, emptyText) {
  const now = Date.now();
  const days = new Map();
  for (const booking of bookings) {
    const day = localDate(booking.start, shownZone(booking));
    if (!days.has(day)) days.set(day, []);
    days.get(day).push(booking);
  }
  if (days.size === 0) {
    fill(box, h("p", { class: "empty", text: emptyText }));
    return;
  }
  fill(box, [...days].map(([day, items]) => h("section", { class: "day-group", "aria-labelledby": `day-${day}` },
    h("h3", { id: `day-${day}`, class: "day-title", text: dayTitle(day, shownZone(items[0])) }),
    h("ul", { class: "plain-list booking-items" }, items.map((booking) => bookingItem(booking, on, now))))));
}

/** "Tuesday 2026-11-24", with "Today" or "Tomorrow" in front where it applies. */
function dayTitle(day, zone) {
  const current = today(zone);
  const relative = day === current ? "Today, " : day === addDays(current, 1) ? "Tomorrow, " : "";
  return relative + formatDayWithWeekday(day, { long: true });
}
