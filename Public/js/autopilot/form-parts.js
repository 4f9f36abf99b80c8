// Parts the rule form and the request form share: check box groups, a time window, the location select.
import { $$, fill, h } from "../lib/dom.js";
import { clockText, minutesOf } from "../lib/calendar.js";
import { zoneLabel, zoneText } from "../lib/format.js";
import { clockField, clockHint, clockValue, setClockStep, showClockValue } from "../lib/time-input.js";
import { windowText } from "./describe.js";
import { byName, locations } from "./places.js";

/** Check boxes named `name`, one per option `{value, label}`, the `checked` values ticked. */
export function fillChecks(container, name, options, checked = []) {
  const idBase = `${container.closest("[id]")?.id ?? name}-option`;
  fill(container, options.map((option, i) => h("label", { class: "check" },
    h("input", { type: "checkbox", name, value: option.value, id: `${idBase}-${i}`, checked: checked.includes(option.value) }),
    " ", option.label)));
  container.closest("fieldset").hidden = options.length === 0;
}

export const checkedValues = (root, name) => $$(`input[name="${name}"]:checked`, root).map((input) => input.value);

/** The tags the desks of a location carry, as check box options. */
export function tagOptions(desks) {
  return [...new Set(desks.flatMap((desk) => desk.tags))].sort().map((tag) => ({ value: tag, label: tag }));
}

/** Makes the page's time fields (`input`s of a form) time fields in the person's clock format. */
export function clockFields(...inputs) {
  for (const input of inputs) clockField(input);
}

/** Shows a window `{from, until}` ("HH:MM") in two time fields; null empties them. */
export function showWindow(fromInput, untilInput, window) {
  showClockValue(fromInput, window?.from ?? null);
  showClockValue(untilInput, window?.until ?? null);
}

/**
 * `{from, until}` ("HH:MM", 24-hour) of two time fields, null when both are empty; a field error when one holds no time,
 * only one is given or they are reversed. An end at midnight is the end of the day.
 */
export function readWindow(fromInput, untilInput) {
  const fromField = clockValue(fromInput), untilField = clockValue(untilInput, { end: true });
  const problem = fromField.problem ?? untilField.problem;
  if (problem) return { problem };
  const from = fromField.value, until = untilField.value;
  if (!from && !until) return { window: null };
  if (!from || !until) return { problem: "Give both times, or leave both empty for the whole bookable day." };
  if (minutesOf(until) <= minutesOf(from)) return { problem: "The end must be after the start." };
  return { window: { from, until } };
}

/** Tells which zone and hours the times of a location are in, and steps time inputs by its granularity. */
export function describeTimes(location, hint, inputs) {
  const policy = location.policy;
  hint.textContent = `Times in ${location.name} time (${zoneLabel(location.timezone)}), ${clockHint()}. Leave both empty for the whole bookable day, `
    + `${windowText({ from: policy.bookable_from, until: policy.bookable_until })}.`;
  for (const input of inputs) setClockStep(input, policy.granularity_minutes);
  // Empty fields stand for the whole bookable day: its bounds show faintly in them.
  const [fromInput, untilInput] = inputs;
  fromInput.placeholder = clockText(policy.bookable_from);
  untilInput.placeholder = clockText(policy.bookable_until);
}

/** Fills a location select, preferring `preferredId`. */
export async function fillLocations(select, preferredId) {
  const all = [...await locations()].sort(byName);
  fill(select, all.map((location) => h("option", { value: location.id, text: location.name })));
  if (all.some((location) => location.id === preferredId)) select.value = preferredId;
  return all;
}

/** A location's whole bookable day as a window. */
export function fullDayOf(location) {
  const { bookable_from: from, bookable_until: until } = location.policy;
  return { from, until };
}

/** The hint of a rule's times: the location's zone and its bookable day. */
export function timesHint(location) {
  const policy = location.policy;
  return `${zoneText(location.timezone)}, ${clockHint()}. Bookable ${windowText({ from: policy.bookable_from, until: policy.bookable_until })}; `
    + "the whole bookable day unless you narrow it.";
}

/** Steps time inputs by the location's granularity. */
export function stepTimes(location, inputs) {
  for (const input of inputs) setClockStep(input, location.policy.granularity_minutes);
}
