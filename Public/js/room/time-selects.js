// A pair of start/end selects on a day's slot grid: the keyboard way to choose times, on the page and in the dialog.
import { fill, h } from "../lib/dom.js";
import { formatTime, zonedInstant } from "../lib/format.js";
import { boundaries } from "./day-slots.js";

/**
 * Offers starts from `earliest` (the whole day when nothing is left of it) and ends after the chosen start, labelled
 * in the viewer's zone, and selects `window` ({from, until} in the location's local minutes).
 */
export function fillTimeSelects(startSelect, endSelect, window, { day, policy, zone, viewZone, earliest }) {
  const all = boundaries(policy);
  const close = all[all.length - 1];
  const option = (m) => h("option", { value: String(m), text: formatTime(zonedInstant(day, m, zone), viewZone) });
  fill(startSelect, all.slice(0, -1).filter((m) => earliest >= close || m >= earliest).map(option));
  fill(endSelect, all.filter((m) => m > window.from).map(option));
  startSelect.value = String(window.from);
  endSelect.value = String(window.until);
}

/** Reads the selects back; a new start keeps the window's length. */
export function readTimeSelects(startSelect, endSelect, window, changed) {
  const from = Number(startSelect.value);
  if (changed === startSelect) return { from, until: from + (window.until - window.from) };
  return { from: window.from, until: Number(endSelect.value) };
}
