// The day, start and end fields of a booking's edit form. A booking lies within one local day of its location, so the
// form asks for that day and two clock times, all in the location's zone and in the person's own date and time
// formats.
import { h } from "../lib/dom.js";
import { datePattern, localDate, localMinutes, zonedInstant } from "../lib/format.js";
import { clockHint, dateInput, dayHint, readClock, readDay, timeInput } from "../lib/time-input.js";
import { endMinutes } from "../lib/calendar.js";

/**
 * Fields for `booking`'s times in `zone` (its location's); `describedBy` names the form's hint on the zone and hours.
 * With `ongoing`, the day and start are shown but fixed.
 * Returns `{ element, read() }`; `read()` gives `{start, end}` as instants, or `{fields: [...]}` naming what is wrong.
 */
export function bookingTimeFields(booking, { zone, policy, ongoing, idBase, describedBy }) {
  const step = policy?.granularity_minutes ?? 30;
  const day = localDate(booking.start, zone);
  const field = (name, label, control, hint) => h("div", { class: "field" },
    h("label", { for: control.id, text: label }), control,
    h("p", { class: "hint", id: `${control.id}-format`, text: hint }));
  const described = (name) => [`${idBase}-${name}-format`, describedBy].join(" ");
  const dayField = dateInput({ id: `${idBase}-day`, name: "day", day, readonly: ongoing, "aria-describedby": described("day") });
  const startField = timeInput({
    id: `${idBase}-start`, name: "start", minutes: localMinutes(booking.start, zone), step, readonly: ongoing, max: 1440 - step,
    "aria-describedby": described("start"),
  });
  const endField = timeInput({
    id: `${idBase}-end`, name: "end", minutes: endMinutes(booking.end, zone), step, min: step, "aria-describedby": described("end"),
  });
  const element = h("div", { class: "form-row booking-time-fields" },
    field("day", "Day", dayField, dayHint()),
    field("start", "Start", startField, clockHint()),
    field("end", "End", endField, clockHint()));
  const instantAt = (localDay, minutes) => zonedInstant(localDay, minutes, zone);
  /** Midnight as an end is the end of the day. */
  const readEnd = () => { const end = readClock(endField); return end === 0 ? 1440 : end; };

  function read() {
    if (ongoing) {
      const end = readEnd();
      if (end === null) return { fields: [{ field: "end", message: `Enter a time, ${clockHint()}.` }] };
      return { start: booking.start, end: instantAt(day, end) };
    }
    const chosenDay = readDay(dayField), start = readClock(startField);
    const end = readEnd();
    const problems = [
      !chosenDay && { field: "day", message: `Enter a real day, written ${datePattern()}.` },
      start === null && { field: "start", message: `Enter a time, ${clockHint()}.` },
      end === null && { field: "end", message: `Enter a time, ${clockHint()}.` },
      start !== null && end !== null && end <= start && { field: "end", message: "The end must come after the start." },
    ].filter(Boolean);
    if (problems.length) return { fields: problems };
    return { start: instantAt(chosenDay, start), end: instantAt(chosenDay, end) };
  }

  return { element, read };
}
