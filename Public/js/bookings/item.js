// One booking as a list item with its inline actions: edit the times, extend, cancel, check in, add to a calendar.
import { patch, post } from "../lib/api.js";
import { clockText } from "../lib/calendar.js";
import { $, $$, busy, errorText, fill, h, showErrors } from "../lib/dom.js";
import { showMessage } from "../lib/errors.js";
import { formatDateTime, formatDuration, formatRange, formatTime, placeTimeLabel, zoneText } from "../lib/format.js";
import { submitting } from "../lib/forms.js";
import { placeZone, policyOf, shownZone, whereText } from "./places.js";
import { checkInDue, isOngoing, isOpen } from "./times.js";
import { extensionFacts, extensionOptions } from "./extension.js";
import { bookingTimeFields } from "./time-fields.js";

/** The inline form that is open, kept across re-renders so that a live update does not drop what was typed. */
let openForm = null; // { id, version, kind, form }

/** Changes whenever the server changed the booking; an open form for an older version is dropped. */
const versionOf = (booking) => `${booking.updated_at}|${booking.status}|${booking.start}|${booking.end}`;

/**
 * `li.booking` for a booking. `on.changed(booking, message, action)` runs after the server accepted a change,
 * `on.cancel(booking)` when the person asks to cancel (the page asks for confirmation).
 */
export function bookingItem(booking, on, now = Date.now()) {
  const zone = shownZone(booking);
  const summaryId = `booking-${booking.id}-summary`;
  const minutes = (new Date(booking.end) - new Date(booking.start)) / 60000;
  const item = h("li", { class: `booking status-${booking.status}`, tabindex: "-1", dataset: { bookingId: booking.id, key: `item-${booking.id}` } },
    h("div", { class: "booking-summary", id: summaryId },
      h("p", { class: "booking-what" },
        h("strong", { class: "booking-desk", text: `Desk ${booking.desk_name ?? ""}` }),
        h("span", { class: "muted booking-where", text: whereText(booking) })),
      h("p", { class: "booking-when" },
        h("time", { class: "booking-time", datetime: booking.start, text: formatRange(booking.start, booking.end, zone) }),
        h("span", { class: "muted booking-zone", text: [formatDuration(minutes), placeTimeLabel(zone, booking.start)].filter(Boolean).map((t) => ` · ${t}`).join("") })),
      h("p", { class: "booking-status" }, statusBadges(booking, zone, now)),
      maintenanceWarning(booking),
      booking.note ? h("p", { class: "booking-note muted", text: booking.note }) : null),
    actionRow(booking, summaryId, on, now),
    h("div", { class: "booking-panel", id: `booking-${booking.id}-panel` }),
    h("p", { class: "form-error booking-error", role: "alert", hidden: true }));

  if (openForm?.id === booking.id) {
    if (openForm.version === versionOf(booking) && isOpen(booking, now)) attach(item, openForm);
    else openForm = null;
  }
  return item;
}

/** A booking kept through its room's maintenance says so: the desk may be noisy, dusty or blocked. */
function maintenanceWarning(booking) {
  const period = booking.status === "confirmed" ? booking.maintenance : null;
  if (!period) return null;
  const zone = placeZone(booking);
  const until = period.until ? ` until ${formatDateTime(period.until, zone)}` : "";
  const label = placeTimeLabel(zone, period.from);
  return h("p", { class: "notice warn booking-maintenance", role: "note",
    text: `The room is under maintenance from ${formatDateTime(period.from, zone)}${until}${label ? ` (${label})` : ""}: ${period.reason}. `
      + "Your booking was kept; expect disruption." });
}

function statusBadges(booking, zone, now) {
  const badge = (text, kind = "") => h("span", { class: `badge ${kind}`, text });
  if (booking.status === "cancelled") {
    // One item, so that the reason reads as part of the status: "Cancelled — Room 2.01 is under maintenance: …".
    return booking.cancel_reason ? h("span", { class: "cancel-reason" }, badge("Cancelled", "danger"), ` — ${booking.cancel_reason}`)
      : badge("Cancelled", "danger");
  }
  if (booking.status === "released") return badge("Released: nobody checked in", "warn");
  const policy = policyOf(booking);
  const badges = [];
  if (new Date(booking.end) <= now) badges.push(badge("Over"));
  else if (isOngoing(booking, now)) badges.push(badge("Now", "ok"));
  else badges.push(badge("Confirmed", "ok"));
  if (booking.checked_in_at) {
    badges.push(badge(`Checked in ${formatTime(booking.checked_in_at, zone)}`, "ok"));
  } else if (policy?.check_in_required && isOpen(booking, now)) {
    const deadline = new Date(new Date(booking.start).getTime() + policy.check_in_grace_minutes * 60000);
    badges.push(badge(`Check in by ${formatTime(deadline, zone)}`, "warn"));
  }
  return badges;
}

function actionRow(booking, summaryId, on, now) {
  const panelId = `booking-${booking.id}-panel`;
  const button = (action, text, handler, attrs = {}) => h("button", {
    type: "button", class: "button small", text, "aria-describedby": summaryId,
    dataset: { action, key: `${action}-${booking.id}` }, onClick: handler, ...attrs,
  });
  const row = h("div", { class: "button-row booking-actions" });
  if (isOpen(booking, now)) {
    const toggles = { "aria-expanded": "false", "aria-controls": panelId };
    row.append(
      button("edit", "Edit", (event) => togglePanel(event.currentTarget.closest("li"), booking, "edit", on), toggles),
      button("extend", "Extend", (event) => togglePanel(event.currentTarget.closest("li"), booking, "extend", on), toggles),
      button("cancel", "Cancel", () => on.cancel(booking), { class: "button small danger" }));
  }
  if (checkInDue(booking, policyOf(booking), now)) {
    row.append(button("check-in", "Check in", (event) => checkIn(booking, event.currentTarget, on), { class: "button small primary" }));
  }
  if (booking.status === "confirmed") {
    row.append(h("a", {
      class: "button small quiet", href: `/api/v1/bookings/${booking.id}/ics`, download: `booking-${booking.desk_name ?? booking.id}.ics`,
      "aria-describedby": summaryId, dataset: { key: `ics-${booking.id}` }, text: "Add to calendar",
    }));
  }
  return row;
}

/** Shows a refusal of the server next to the booking it concerns (or, with none, takes the last one away). */
export function showRefusal(item, error) {
  const note = item && $(".booking-error", item);
  if (note) showMessage(note, error);
}

function togglePanel(item, booking, kind, on) {
  const wasOpen = openForm?.id === booking.id && openForm.kind === kind;
  closePanel();
  showRefusal(item, null);
  if (wasOpen) return;
  const form = kind === "edit" ? editForm(booking, on) : extendForm(booking, on);
  openForm = { id: booking.id, version: versionOf(booking), kind, form };
  attach(item, openForm);
  $("input:not([readonly]), select, button[type=submit]", form)?.focus();
}

function attach(item, { kind, form }) {
  fill($(".booking-panel", item), form);
  $(`[data-action="${kind}"]`, item)?.setAttribute("aria-expanded", "true");
}

/** Closes the open inline form; with `focus`, focus returns to the button that opened it. */
function closePanel({ focus = false } = {}) {
  if (!openForm) return;
  const { kind, form } = openForm;
  openForm = null;
  const item = form.closest("li.booking");
  form.remove();
  if (!item) return;
  for (const toggle of $$("[aria-expanded]", item)) toggle.setAttribute("aria-expanded", "false");
  if (focus) $(`[data-action="${kind}"]`, item)?.focus();
}

/** Escape and the Close button put the form away. */
function closable(form) {
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    closePanel({ focus: true });
  });
  return h("button", { type: "button", class: "button small quiet", text: "Close", onClick: () => closePanel({ focus: true }) });
}

/** "Times in Berlin time (CET). Bookable 07:00–20:00, in 30-minute steps." */
function rulesHint(booking, zone) {
  const policy = policyOf(booking);
  const parts = [`Times in ${zoneText(zone, booking.start)}.`];
  if (policy) parts.push(`Bookable ${clockText(policy.bookable_from)}–${clockText(policy.bookable_until)}, in ${policy.granularity_minutes}-minute steps.`);
  return parts.join(" ");
}

function editForm(booking, on) {
  const zone = shownZone(booking);
  const ongoing = isOngoing(booking);
  const base = `edit-${booking.id}`;
  const times = bookingTimeFields(booking, { zone, policy: policyOf(booking), ongoing, idBase: base, describedBy: `${base}-hint` });
  const submit = h("button", { type: "submit", class: "button small primary", text: "Save times" });
  const form = h("form", { class: "edit-form booking-form", novalidate: true, "aria-label": "Change the times" },
    times.element,
    h("p", { class: "hint muted", id: `${base}-hint`,
      text: (ongoing ? "This booking has started, so only its end can change. " : "") + rulesHint(booking, zone) }),
    h("p", { class: "form-error", role: "alert", hidden: true }));
  form.append(h("div", { class: "button-row" }, submit, closable(form)));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = times.read();
    if (chosen.fields) {
      showErrors(form, chosen);
      return;
    }
    saveTimes(booking, chosen, form, submit, on, "edit");
  });
  return form;
}

/**
 * The extend form offers only end times the server will accept (see `extensionOptions`); it reads the desk's next
 * booking first. When nothing can be offered it says why instead of showing an empty list.
 */
function extendForm(booking, on) {
  const zone = shownZone(booking);
  const form = h("form", { class: "extend-form booking-form", novalidate: true, "aria-label": "Extend the booking", "aria-busy": "true" });
  const close = closable(form);
  fill(form, h("p", { class: "muted", role: "status", text: "Checking how long the desk stays free…" }), h("div", { class: "button-row" }, close));
  const load = async () => {
    let facts;
    try {
      facts = await extensionFacts(booking, placeZone(booking));
    } catch (error) {
      form.removeAttribute("aria-busy");
      fill(form,
        h("p", { class: "form-error extend-error", role: "alert", text: `What is free after this booking could not be read: ${errorText(error)}` }),
        h("div", { class: "button-row" }, h("button", { type: "button", class: "button small", text: "Try again", onClick: load }), close));
      return;
    }
    fillExtendForm(form, booking, extensionOptions(booking, policyOf(booking), facts, placeZone(booking), zone), close, on);
  };
  load();
  return form;
}

function fillExtendForm(form, booking, { choices, reason }, close, on) {
  const zone = shownZone(booking);
  const hadFocus = form.contains(document.activeElement);
  form.removeAttribute("aria-busy");
  if (choices.length === 0) {
    fill(form, h("p", { class: "muted extend-reason", role: "status", text: reason }), h("div", { class: "button-row" }, close));
    if (hadFocus) close.focus();
    return;
  }
  const id = `extend-${booking.id}-end`;
  const hintId = `${id}-hint`;
  const select = h("select", { id, name: "end", "aria-describedby": hintId },
    choices.map((choice) => h("option", { value: choice.end.toISOString(), text: choice.label })));
  const submit = h("button", { type: "submit", class: "button small primary", text: "Extend" });
  const offered = new Set(choices.map((choice) => choice.end.getTime()));
  const quick = (minutes, text) => {
    const end = new Date(new Date(booking.end).getTime() + minutes * 60000);
    return offered.has(end.getTime()) && h("button", {
      type: "button", class: "button small", text, dataset: { extendBy: minutes },
      onClick: (event) => saveTimes(booking, { end }, form, event.currentTarget, on, "extend"),
    });
  };
  fill(form,
    h("div", { class: "form-row" },
      h("div", { class: "field" }, h("label", { for: id, text: `New end (now ${formatTime(booking.end, zone)})` }), select)),
    h("p", { class: "hint muted extend-reason", id: hintId, text: reason }),
    h("p", { class: "form-error", role: "alert", hidden: true }),
    h("div", { class: "button-row" }, submit, quick(30, "+30 min"), quick(60, "+1 h"), close));
  form.onsubmit = (event) => {
    event.preventDefault();
    saveTimes(booking, { end: new Date(select.value) }, form, submit, on, "extend");
  };
  if (hadFocus || document.activeElement === document.body) select.focus();
}

const iso = (value) => (typeof value === "string" ? value : value.toISOString());

/** Sends new times; a refusal is shown in the form, under the field it concerns where there is one. */
async function saveTimes(booking, { start = booking.start, end }, form, button, on, action) {
  await submitting(form, async () => {
    const changed = await patch(`/bookings/${booking.id}`, { start: iso(start), end: iso(end) });
    closePanel();
    const zone = shownZone(changed);
    const message = action === "extend"
      ? `Extended: desk ${changed.desk_name} now until ${formatTime(changed.end, zone)}.`
      : `Changed: desk ${changed.desk_name}, ${formatRange(changed.start, changed.end, zone)}.`;
    on.changed(changed, message, action);
  }, { button, explain: (error) => placedRefusal(error, booking, action) });
}

/** Which field a refusal of new times is about, where one field is clearly to blame. */
const fieldOfRefusal = {
  in_the_past: (ongoing) => (ongoing ? "end" : "start"),
  outside_window: () => "start",
  invalid_duration: () => "end",
};

function placedRefusal(error, booking, action) {
  if (error.fields?.length) return error;
  let message = errorText(error);
  const conflicts = error.problem?.conflicts ?? [];
  if (error.code === "desk_taken" && conflicts.length) {
    const zone = shownZone(booking);
    message += ` Taken: ${conflicts.map((c) => formatRange(c.start, c.end, zone)).join(", ")}.`;
  }
  const field = action === "extend" ? "end" : fieldOfRefusal[error.code]?.(isOngoing(booking));
  return field ? { fields: [{ field, message }] } : { message };
}

async function checkIn(booking, button, on) {
  const item = button.closest("li.booking");
  showRefusal(item, null);
  await busy(button, async () => {
    try {
      const changed = await post(`/bookings/${booking.id}/check-in`);
      on.changed(changed, `Checked in at desk ${changed.desk_name}.`, "check-in");
    } catch (error) {
      showRefusal(item, error);
    }
  });
}
