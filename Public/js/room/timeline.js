// A desk's bookable day as a bar (busy times, my bookings, the selection) that takes a selection by dragging or by
// two clicks, and the week around it as seven rows. Both are pictures for pointer users: the same facts are in the
// dialog's text, and keyboard users choose times with its selects.
import { h, fill } from "../lib/dom.js";
import { formatTime, getPreferences } from "../lib/format.js";

/** Places `element` over [start, end) of a bar spanning [open, close) (all in ms). */
function place(element, start, end, open, close) {
  const span = close - open;
  const left = Math.max(0, (start - open) / span);
  const right = Math.min(1, (end - open) / span);
  element.style.left = `${left * 100}%`;
  element.style.width = `${Math.max(0, right - left) * 100}%`;
  return element;
}

function busyBlocks(busy, open, close, describe) {
  return busy.map((b) => {
    const block = h("div", { class: b.mine ? "busy mine" : "busy", title: describe(b) });
    return place(block, b.start, b.end, open, close);
  });
}

/**
 * The day bar. `render(model)` draws it; model: `{instants (ms of each slot boundary), minutes (the same boundaries
 * as local minutes), earliestIndex, busy, selection: {from, until} in minutes, viewZone, describe(busy)}`.
 * `onSelect(from, until)` gets local minutes.
 */
export function createDayTimeline(container, onSelect) {
  const track = h("div", { class: "timeline-track" });
  const axis = h("div", { class: "timeline-axis" });
  fill(container, h("div", { class: "timeline", "aria-hidden": "true" }, track, axis),
    h("p", { class: "hint muted timeline-hint", text: "Drag across the bar, or click a start and then an end. Or pick the times below." }));
  let model = null;
  let anchor = null; // first of two clicks
  let drag = null;

  function slotAt(clientX) {
    const { instants, earliestIndex } = model;
    const rect = track.getBoundingClientRect();
    const open = instants[0], close = instants[instants.length - 1];
    const t = open + ((clientX - rect.left) / rect.width) * (close - open);
    let index = instants.findIndex((instant, i) => i < instants.length - 1 && t < instants[i + 1]);
    if (index < 0) index = instants.length - 2;
    // Slots that have passed cannot be booked; on a day that is over, nothing is held back.
    return earliestIndex < instants.length - 1 ? Math.max(index, earliestIndex) : index;
  }

  const choose = (a, b) => onSelect(model.minutes[Math.min(a, b)], model.minutes[Math.max(a, b) + 1]);

  track.addEventListener("pointerdown", (event) => {
    if (!model || event.button !== 0) return;
    event.preventDefault();
    track.setPointerCapture(event.pointerId);
    drag = { start: slotAt(event.clientX), moved: false };
  });
  track.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const slot = slotAt(event.clientX);
    if (slot === drag.start && !drag.moved) return;
    drag.moved = true;
    choose(drag.start, slot);
  });
  track.addEventListener("pointerup", (event) => {
    if (!drag) return;
    const slot = slotAt(event.clientX);
    if (drag.moved) {
      anchor = null;
      choose(drag.start, slot);
    } else if (anchor === null) {
      anchor = slot;
      choose(slot, slot);
    } else {
      const first = anchor;
      anchor = null;
      choose(first, slot);
    }
    drag = null;
  });
  track.addEventListener("pointercancel", () => { drag = null; });

  function render(next) {
    model = next;
    const { instants, minutes, earliestIndex, busy, selection, viewZone, describe } = model;
    const open = instants[0], close = instants[instants.length - 1];
    const at = (m) => instants[minutes.indexOf(m)];
    const parts = [];
    if (earliestIndex > 0) parts.push(place(h("div", { class: "past" }), open, instants[Math.min(earliestIndex, instants.length - 1)], open, close));
    parts.push(...busyBlocks(busy, open, close, describe));
    if (at(selection.from) !== undefined && at(selection.until) !== undefined) {
      parts.push(place(h("div", { class: "selection" }), at(selection.from), at(selection.until), open, close));
    }
    if (anchor !== null) parts.push(place(h("div", { class: "anchor" }), instants[anchor], instants[anchor + 1], open, close));
    fill(track, parts);
    fill(axis, hourLabels(instants, minutes, viewZone, track.clientWidth || 600));
  }

  return { render, reset: () => { anchor = null; drag = null; } };
}

/** A label on each full hour, thinned out so they do not collide on narrow screens. */
function hourLabels(instants, minutes, zone, width) {
  const open = instants[0], close = instants[instants.length - 1];
  const hours = minutes.map((m, i) => ({ m, instant: instants[i] })).filter(({ m }) => m % 60 === 0);
  const room = getPreferences().time_format === "12h" ? 74 : 52;
  const every = Math.max(1, Math.ceil((hours.length * room) / width));
  return hours.filter((_, i) => i % every === 0).map(({ instant }) => {
    const label = h("span", { class: "hour", text: formatTime(instant, zone) });
    label.style.left = `${((instant - open) / (close - open)) * 100}%`;
    return label;
  });
}

/**
 * The week: one button per day (`{day, label, instants, busy, selected, summary}`) with its busy times drawn;
 * `onPick(day)` when one is chosen.
 */
export function renderWeek(container, days, describe, onPick) {
  fill(container, h("ul", { class: "week-rows plain-list" }, days.map((d) => {
    const open = d.instants[0], close = d.instants[d.instants.length - 1];
    const bar = h("span", { class: "week-bar", "aria-hidden": "true" }, busyBlocks(d.busy, open, close, describe));
    return h("li", {}, h("button", {
      type: "button", class: "week-row", "aria-pressed": String(d.selected), "aria-label": `${d.label}: ${d.summary}`,
      onClick: () => onPick(d.day),
    }, h("span", { class: "week-day", text: d.label }), bar));
  })));
}
