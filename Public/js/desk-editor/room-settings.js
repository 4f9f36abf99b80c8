// The room's own settings: name and description, and maintenance periods.
import { del, get, patch, put, query } from "../lib/api.js";
import { $, busy, errorText, fill, h, showErrors, toast } from "../lib/dom.js";
import { clashOn, showMessage } from "../lib/errors.js";
import {
  addDays, datePattern, formatDateTime, formatPlaceRange, localDate, localMinutes, zonedInstant, zoneText,
} from "../lib/format.js";
import { submitting } from "../lib/forms.js";
import { dateInput, readClock, readDay, timeInput } from "../lib/time-input.js";

/** Wires the details form; `onRoom(room)` gets the room after every change. */
export function setUpRoomForm(room, { onRoom }) {
  const form = $("#room-form");
  form.elements.name.value = room.name;
  form.elements.description.value = room.description;

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = form.elements.name.value.trim();
    if (!name) {
      showErrors(form, { fields: [{ field: "name", message: "Give the room a name." }] });
      return;
    }
    submitting(form, async () => {
      const updated = await patch(`/rooms/${room.id}`, { name, description: form.elements.description.value.trim() });
      form.elements.name.value = updated.name;
      form.elements.description.value = updated.description;
      onRoom(updated);
      toast("Room details saved.");
    }, { explain: (error) => clashOn("name", error) });
  });
}

/** "from Tue 2026-12-15 07:00 until Fri 2026-12-18 18:00" (or "until it is ended") in the room's zone. */
function periodText(period, zone) {
  const from = formatDateTime(period.from, zone);
  return period.until ? `from ${from} until ${formatDateTime(period.until, zone)}` : `from ${from} until it is ended`;
}

/** A day field and a time field for one instant in the location's zone, in the person's own formats. */
function momentFields(slot, { prefix, label, day, minutes }) {
  const dayField = dateInput({ id: `${prefix}-day`, name: `${prefix}_day`, day, "aria-label": `${label} day` });
  const timeField = timeInput({ id: `${prefix}-time`, name: `${prefix}_time`, minutes, step: 30, "aria-label": `${label} time` });
  fill(slot, dayField, " ", timeField);
  return {
    fields: [dayField, timeField],
    /** The instant, or null when the fields hold no day or no time. */
    read(zone) {
      const chosenDay = readDay(dayField), chosenTime = readClock(timeField);
      return chosenDay && chosenTime !== null ? zonedInstant(chosenDay, chosenTime, zone) : null;
    },
  };
}

/**
 * Wires the maintenance card for a room of a location in `locationZone`: the current or scheduled period with "End
 * maintenance", and a form (reason, start, end, cancel or keep the bookings it overlaps) whose "Review affected
 * bookings" lists what the period touches before the manager confirms. `onRoom(room)` as above.
 */
export function setUpMaintenance(room, { locationZone, onRoom }) {
  const zone = locationZone;
  const form = $("#maintenance-form");
  const state = $("#maintenance-state");
  const end = $("#maintenance-end");
  const review = $("#maintenance-review");
  const confirmPanel = $("#maintenance-confirm-panel");
  const confirm = $("#maintenance-confirm");
  const confirmError = $("#maintenance-confirm-error");
  const outcomeBox = $("#maintenance-affected");
  const now = new Date();
  const today = localDate(now, zone);
  const nextHour = Math.min(23 * 60, (Math.floor(localMinutes(now, zone) / 60) + 1) * 60);
  const from = momentFields($("#maintenance-from"), { prefix: "maintenance-from", label: "Start", day: today, minutes: nextHour });
  const until = momentFields($("#maintenance-until"), { prefix: "maintenance-until", label: "End", day: addDays(today, 1), minutes: 18 * 60 });
  $("#maintenance-zone-hint").textContent = `Days are written ${datePattern()}; times are ${zoneText(zone)}, the room's time zone.`;
  // Typing a day or time picks "On" for it.
  for (const [fields, radio] of [[from.fields, "starts"], [until.fields, "ends"]]) {
    for (const field of fields) field.addEventListener("input", () => { form.elements[radio].value = radio === "starts" ? "later" : "at"; });
  }
  let pending = null;

  function render(current) {
    const period = current.maintenance;
    const active = current.under_maintenance;
    fill(state,
      h("span", { class: `badge ${period ? "warn" : "ok"}`, text: active ? "Under maintenance" : period ? "Maintenance scheduled" : "In service" }),
      " ",
      period ? `${periodText(period, zone)}: ${period.reason}` : "Desks can be booked.");
    end.hidden = !period;
    end.textContent = active || !period ? "End maintenance" : "Call off scheduled maintenance";
    $("#maintenance-form-title").textContent = period ? "Change maintenance" : "Plan maintenance";
    if (period) form.elements.reason.value = period.reason;
  }

  /** The request the form describes, or field errors. */
  function request() {
    const reason = form.elements.reason.value.trim();
    const fields = [];
    if (!reason) fields.push({ field: "reason", message: "Say why, for the people whose bookings are affected." });
    const body = { reason, affected: form.elements.affected.value };
    if (form.elements.starts.value === "later") {
      body.from = from.read(zone);
      if (!body.from) fields.push({ field: "from", message: `Give a day (${datePattern()}) and a time.` });
      else if (body.from < new Date(Date.now() - 5 * 60_000)) fields.push({ field: "from", message: "This lies in the past; choose Now instead." });
    }
    if (form.elements.ends.value === "at") {
      body.until = until.read(zone);
      const start = body.from ?? new Date();
      if (!body.until) fields.push({ field: "until", message: `Give a day (${datePattern()}) and a time.` });
      else if (body.until <= start) fields.push({ field: "until", message: "The end must come after the start." });
    }
    return fields.length ? { error: { fields } } : { body };
  }

  /** The bookings the period touches, as the manager reviews them: desk, person and times in the room's zone. */
  function bookingList(bookings) {
    return h("ul", { class: "plain-list affected-bookings" }, bookings.map((booking) =>
      h("li", {}, h("strong", { text: booking.desk_name ?? "Desk" }), " · ", booking.user?.display_name ?? "someone", " · ",
        formatPlaceRange(booking.start, booking.end, zone),
        booking.cancel_reason ? h("span", { class: "muted", text: " · cancelled" }) : null)));
  }

  function showConfirm(body, preview) {
    pending = body;
    const bookings = preview.affected_bookings;
    const cancel = body.affected === "cancel";
    const count = bookings.length;
    const period = { from: preview.from, until: preview.until };
    fill($("#maintenance-confirm-summary"),
      `${room.name} will be under maintenance ${periodText(period, zone)}: ${body.reason}. `,
      count === 0 ? "No active bookings overlap this period."
        : `${count} active ${count === 1 ? "booking overlaps" : "bookings overlap"} it; ${cancel ? "they will be cancelled" : "they will stay, marked as affected"} and their owners told.`);
    fill($("#maintenance-preview"), count ? bookingList(bookings) : null);
    confirm.textContent = count && cancel ? `Cancel ${count} ${count === 1 ? "booking" : "bookings"} and confirm maintenance` : "Confirm maintenance";
    confirmError.hidden = true;
    form.hidden = true;
    outcomeBox.hidden = true;
    confirmPanel.hidden = false;
    $("#maintenance-confirm-title").focus();
  }

  function backToForm() {
    pending = null;
    confirmPanel.hidden = true;
    form.hidden = false;
    review.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const { body, error } = request();
    if (error) {
      showErrors(form, error);
      return;
    }
    submitting(form, async () => {
      const preview = await get(`/rooms/${room.id}/maintenance/affected${query({ from: body.from?.toISOString(), until: body.until?.toISOString() })}`);
      showConfirm(body, preview);
    }, { button: review });
  });

  $("#maintenance-change").addEventListener("click", backToForm);

  confirm.addEventListener("click", () => busy(confirm, async () => {
    if (!pending) return;
    try {
      const outcome = await put(`/rooms/${room.id}/maintenance`, {
        ...pending, from: pending.from?.toISOString(), until: pending.until?.toISOString(),
      });
      room = outcome.room;
      render(room);
      onRoom(room);
      const count = outcome.affected_bookings.length;
      const done = outcome.affected === "cancel" ? "cancelled" : "kept and marked";
      fill(outcomeBox, h("p", {}, count === 0 ? "No bookings were affected."
        : `${count} ${count === 1 ? "booking was" : "bookings were"} ${done}; ${count === 1 ? "its owner has" : "their owners have"} been told.`),
      count ? h("details", {}, h("summary", { text: "Show them" }), bookingList(outcome.affected_bookings)) : null);
      outcomeBox.hidden = false;
      confirmPanel.hidden = true;
      form.hidden = false;
      pending = null;
      toast(room.under_maintenance ? "The room is under maintenance." : "Maintenance is scheduled.");
    } catch (error) {
      showMessage(confirmError, error);
    }
  }));

  end.addEventListener("click", () => busy(end, async () => {
    try {
      const updated = await del(`/rooms/${room.id}/maintenance`);
      room = updated;
      render(updated);
      outcomeBox.hidden = true;
      onRoom(updated);
      toast("Maintenance ended; the room can be booked again.");
      form.elements.reason.focus();
    } catch (error) {
      toast(errorText(error), "error");
    }
  }));

  render(room);
}
