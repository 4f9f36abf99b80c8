// The calendar views: one day or a week on a time axis, and a month as a grid of days with booking chips. Every
// booking is a button that selects it; the page shows the selected booking with its actions below. Each booking sits
// at its own location's clock times on its location's day, as the list shows it; `zone` (the person's home location's,
// else their own) decides only which day is today and where the "now" line runs.
import { fill, h } from "../lib/dom.js";
import { formatClock, formatDayWithWeekday, formatPlaceRange, localMinutes, today, weekdayName, weekdayOf } from "../lib/format.js";
import { shownZone, whereText } from "./places.js";
import { segmentOn } from "./times.js";

/** Hours the time axis always shows; bookings outside them widen it. */
const usualHours = { from: 7, to: 20 };

/**
 * Day or week view. `days` are local days; `on.select(booking)` selects a booking, `on.openDay(day)`
 * switches to that day.
 */
export function renderTimeGrid(box, days, bookings, zone, selectedId, on) {
  const columns = days.map((day) => ({ day, segments: layOut(segmentsOn(bookings, day)) }));
  const all = columns.flatMap((c) => c.segments);
  const from = Math.min(usualHours.from, ...all.map((s) => Math.floor(s.top / 60)));
  const to = Math.max(usualHours.to, ...all.map((s) => Math.ceil(s.bottom / 60)));
  const grid = h("div", { class: `cal-grid ${days.length === 1 ? "cal-single" : "cal-week"}` },
    h("div", { class: "cal-corner", "aria-hidden": "true" }),
    days.map((day) => dayHead(day, zone, days.length > 1, on)),
    h("div", { class: "cal-axis", "aria-hidden": "true" },
      Array.from({ length: to - from }, (_, i) => h("span", { class: "cal-hour", text: formatClock((from + i) * 60) }))),
    columns.map(({ day, segments }) => dayColumn(day, segments, from, days.length === 1, selectedId, on)));
  grid.dataset.fromHour = from;
  grid.style.setProperty("--days", days.length);
  grid.style.setProperty("--hours", to - from);
  fill(box, h("div", { class: "cal-scroll" }, grid));
  updateNowLine(box, zone);
}

function dayHead(day, zone, asLink, on) {
  const isToday = day === today(zone);
  const [, , dayOfMonth] = day.split("-");
  const text = [
    h("span", { class: "cal-weekday", "aria-hidden": "true", text: weekdayName(weekdayOf(day)) }),
    h("span", { class: "cal-daynum", "aria-hidden": "true", text: String(Number(dayOfMonth)) }),
    h("span", { class: "visually-hidden", text: `${formatDayWithWeekday(day, { long: true })}${isToday ? ", today" : ""}` }),
  ];
  return h("div", { class: `cal-head${isToday ? " today" : ""}`, id: `head-${day}`, "aria-current": isToday ? "date" : null },
    asLink ? h("button", { type: "button", class: "cal-day-link", dataset: { key: `day-${day}` }, title: "Show this day", onClick: () => on.openDay(day) }, text) : text);
}

/** The parts of the bookings that fall on a day of their locations, earliest first. */
function segmentsOn(bookings, day) {
  return bookings
    .map((booking) => ({ booking, segment: segmentOn(booking, day, shownZone(booking)) }))
    .filter(({ segment }) => segment)
    .map(({ booking, segment }) => ({ booking, ...segment }))
    .sort((a, b) => a.top - b.top);
}

function dayColumn(day, segments, fromHour, roomy, selectedId, on) {
  return h("div", { class: "cal-column", role: "group", "aria-labelledby": `head-${day}`, dataset: { day } },
    segments.length === 0 ? h("span", { class: "visually-hidden", text: "No bookings" }) : null,
    segments.map((segment) => eventButton(segment, fromHour, roomy, selectedId, on)));
}

/** A booking on the time axis; `roomy` (the day view) has space to show where it is. */
function eventButton({ booking, top, bottom, lane, lanes }, fromHour, roomy, selectedId, on) {
  const button = h("button", {
    type: "button", class: `cal-event${booking.checked_in_at ? " checked-in" : ""}`, "aria-pressed": String(booking.id === selectedId),
    "aria-controls": "booking-detail", dataset: { bookingId: booking.id, key: `event-${booking.id}` }, onClick: () => on.select(booking),
    title: formatPlaceRange(booking.start, booking.end, shownZone(booking)),
  },
  h("span", { class: "cal-event-time", text: `${formatClock(top)}–${formatClock(bottom)}` }),
  h("span", { class: "cal-event-desk" }, ` ${booking.desk_name}`,
    h("span", { class: roomy ? "cal-event-where" : "visually-hidden", text: `, ${whereText(booking)}` })),
  booking.checked_in_at ? h("span", { class: "visually-hidden", text: ", checked in" }) : null);
  button.style.setProperty("--top", (top - fromHour * 60) / 60);
  button.style.setProperty("--length", (bottom - top) / 60);
  button.style.setProperty("--lane", lane);
  button.style.setProperty("--lanes", lanes);
  return button;
}

/**
 * Side-by-side lanes for segments that overlap (several locations may allow more than one desk at a time):
 * each cluster of overlapping segments shares its width among as many lanes as it needs.
 */
function layOut(segments) {
  const sorted = [...segments].sort((a, b) => a.top - b.top || b.bottom - a.bottom);
  let cluster = [], laneEnds = [], clusterEnd = -1;
  const finish = () => { for (const s of cluster) s.lanes = laneEnds.length; };
  for (const segment of sorted) {
    if (segment.top >= clusterEnd) {
      finish();
      cluster = []; laneEnds = [];
    }
    let lane = laneEnds.findIndex((end) => end <= segment.top);
    if (lane === -1) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = segment.bottom;
    segment.lane = lane;
    cluster.push(segment);
    clusterEnd = Math.max(clusterEnd, segment.bottom);
  }
  finish();
  return sorted;
}

/** Moves the "now" line of today's column (there is none when today is not shown or it is off the axis). */
export function updateNowLine(box, zone) {
  box.querySelector(".cal-now")?.remove();
  const grid = box.querySelector(".cal-grid");
  const column = box.querySelector(`.cal-column[data-day="${today(zone)}"]`);
  if (!grid || !column) return;
  const hours = (localMinutes(new Date(), zone) - Number(grid.dataset.fromHour) * 60) / 60;
  if (hours < 0 || hours > Number(grid.style.getPropertyValue("--hours"))) return;
  const line = h("span", { class: "cal-now", "aria-hidden": "true" });
  line.style.setProperty("--top", hours);
  column.append(line);
}

/** Month view: a table of weeks; each day lists its bookings as chips. */
export function renderMonth(box, days, month, bookings, zone, selectedId, on) {
  const weeks = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  const current = today(zone);
  fill(box, h("div", { class: "cal-month-wrap" }, h("table", { class: "cal-month" },
    h("thead", {}, h("tr", {}, Array.from({ length: 7 }, (_, i) => h("th", { scope: "col" },
      h("abbr", { title: weekdayName(i, { long: true }), text: weekdayName(i) }))))),
    h("tbody", {}, weeks.map((week) => h("tr", {}, week.map((day) => monthCell(day, month, current, bookings, zone, selectedId, on))))))));
}

function monthCell(day, month, current, bookings, zone, selectedId, on) {
  const mine = segmentsOn(bookings, day);
  const classes = ["cal-cell", day.startsWith(month) ? "" : "other-month", day === current ? "today" : ""].filter(Boolean).join(" ");
  const count = mine.length === 0 ? "no bookings" : mine.length === 1 ? "1 booking" : `${mine.length} bookings`;
  return h("td", { class: classes, "aria-current": day === current ? "date" : null },
    h("button", { type: "button", class: "cal-date", dataset: { key: `day-${day}` }, onClick: () => on.openDay(day) },
      h("span", { "aria-hidden": "true", text: String(Number(day.slice(8))) }),
      h("span", { class: "visually-hidden", text: `${formatDayWithWeekday(day, { long: true })}${day === current ? ", today" : ""}, ${count}` })),
    mine.length ? h("ul", { class: "cal-chips" }, mine.map(({ booking, top }) => h("li", {},
      h("button", {
        type: "button", class: "cal-chip", "aria-pressed": String(booking.id === selectedId), "aria-controls": "booking-detail",
        dataset: { bookingId: booking.id, key: `event-${booking.id}-${day}` }, onClick: () => on.select(booking),
      },
      h("span", { class: "cal-chip-time", text: formatClock(top) }),
      h("span", { class: "cal-chip-desk", text: ` ${booking.desk_name}` }),
      h("span", { class: "visually-hidden", text: `, ${formatPlaceRange(booking.start, booking.end, shownZone(booking))}, ${whereText(booking)}` }))))) : null);
}
