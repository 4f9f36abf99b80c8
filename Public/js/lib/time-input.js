// Time-of-day and day fields written in the person's own formats. Native `<input type=time>` and `type=date` follow the
// browser's language instead (a 24-hour person in an en-US browser would see "05:30 PM"), so where the app draws
// the field it is a text box that reads what is typed, rewrites it in the person's format when left, and steps
// with the arrow keys as a native time field does. Where a native date field stays (for its calendar picker),
// `labelNativeDate` names the format it is drawn in.
import { h } from "./dom.js";
import {
  addDays, browserDatePattern, datePattern, formatClock, formatDay, formatDayWithWeekday, getPreferences, parseClock, parseDay,
} from "./format.js";
import { minutesOf } from "./calendar.js";

/** "24-hour, e.g. 17:30" or "12-hour, e.g. 5:30 PM". */
export function clockHint() {
  return getPreferences().time_format === "12h" ? "12-hour, e.g. 5:30 PM" : "24-hour, e.g. 17:30";
}

/** "Written DD.MM.YYYY". */
export function dayHint() {
  return `Written ${datePattern()}`;
}

/**
 * A time-of-day field holding `minutes` since midnight (1440 is the end of the day). Arrow Up/Down move it by `step`
 * minutes within `min`–`max`; Page Up/Down by an hour. Read it back with `readClock`.
 */
export function timeInput({ id, name, minutes = null, step = 30, min = 0, max = 1440, ...attrs }) {
  return clockField(h("input", { id, name, ...attrs }), { minutes, step, min, max });
}

/**
 * Makes `input` (one written in a page, or made by `timeInput`) a time field in the person's clock format. Its step
 * can change later with `setClockStep`, as a location's time steps do.
 */
export function clockField(input, { minutes = null, step = 30, min = 0, max = 1440 } = {}) {
  const defaults = { type: "text", inputmode: "text", autocomplete: "off", spellcheck: "false", size: "8" };
  for (const [attribute, value] of Object.entries(defaults)) {
    if (!input.hasAttribute(attribute) || attribute === "type") input.setAttribute(attribute, value);
  }
  input.classList.add("clock-input");
  setClockStep(input, step);
  const show = (value) => { input.value = value === null ? "" : formatClock(value); };
  input.addEventListener("keydown", (event) => {
    const moves = { ArrowUp: 1, ArrowDown: -1, PageUp: 60, PageDown: -60 };
    if (!(event.key in moves) || input.readOnly || input.disabled) return;
    event.preventDefault();
    const stepBy = Number(input.dataset.stepMinutes);
    const current = readClock(input);
    const by = Math.abs(moves[event.key]) === 1 ? moves[event.key] * stepBy : moves[event.key];
    // From a typed time off the step, the first move lands on the step.
    const next = current === null ? min
      : by > 0 ? Math.floor(current / stepBy) * stepBy + by : Math.ceil(current / stepBy) * stepBy + by;
    show(Math.min(max, Math.max(min, next)));
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  input.addEventListener("blur", () => {
    const value = readClock(input);
    if (value !== null) show(value);
  });
  show(minutes);
  return input;
}

/** Sets how many minutes the arrow keys move a time field by. */
export function setClockStep(input, minutes) {
  input.dataset.stepMinutes = String(minutes);
}

/** Shows an API time ("HH:MM", 24-hour; "24:00" ends the day) in a time field, in the person's format; null empties it. */
export function showClockValue(input, text) {
  input.value = text ? formatClock(minutesOf(text)) : "";
}

/**
 * What a time field holds as the API takes it: `{value: "HH:MM"}` (24-hour), `{value: null}` when it is empty, or
 * `{problem}` when it holds no time of day. With `end`, midnight is the end of the day ("24:00").
 */
export function clockValue(input, { end = false } = {}) {
  if (input.value.trim() === "") return { value: null };
  const minutes = readClock(input);
  if (minutes === null) return { problem: `Enter a time, ${clockHint()}.` };
  const total = end && minutes === 0 ? 1440 : minutes;
  return { value: `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}` };
}

/** Minutes since midnight in a time field; null when what it holds is no time of day. */
export function readClock(input) {
  return parseClock(input.value);
}

/**
 * A day field holding `day` (`YYYY-MM-DD`) written in the person's date format. Arrow Up/Down move it by a day.
 * Read it back with `readDay`.
 */
export function dateInput({ id, name, day = null, ...attrs }) {
  const input = h("input", {
    type: "text", id, name, class: "day-input", inputmode: "numeric", autocomplete: "off", spellcheck: "false",
    placeholder: datePattern(), size: 12, ...attrs,
  });
  const show = (value) => {
    input.value = value ? formatDay(value) : "";
    input.title = value ? formatDayWithWeekday(value, { long: true }) : "";
  };
  input.addEventListener("keydown", (event) => {
    const moves = { ArrowUp: 1, ArrowDown: -1 };
    if (!(event.key in moves) || input.readOnly || input.disabled) return;
    const current = readDay(input);
    if (!current) return;
    event.preventDefault();
    show(addDays(current, moves[event.key]));
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  input.addEventListener("blur", () => {
    const value = readDay(input);
    if (value) show(value);
  });
  show(day);
  return input;
}

/** The day (`YYYY-MM-DD`) in a day field; null when it holds no real day. */
export function readDay(input) {
  return parseDay(input.value);
}

/**
 * Names the format a native `<input type=date>` shows (the browser's, which may not be the person's) in its label:
 * "Day (mm/dd/yyyy)". In the label, the format is part of the field's name and moves no other field.
 */
export function labelNativeDate(input) {
  const label = input.id ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null;
  if ((label ?? input.parentElement)?.querySelector(`#${CSS.escape(`${input.id}-format`)}`)) return;
  if (label) label.append(" ", dateFormatHint(input));
  else input.insertAdjacentElement("afterend", dateFormatHint(input));
}

/** The "(mm/dd/yyyy)" of `labelNativeDate`, for a label drawn before its field is in the page. */
export function dateFormatHint(input) {
  return h("span", { class: "date-format-hint", id: `${input.id}-format`, text: `(${browserDatePattern()})` });
}
