// The room's own settings: name and description, and maintenance.
import { del, patch, put } from "../lib/api.js";
import { $, fill, h, showErrors, toast } from "../lib/dom.js";
import { clashOn } from "../lib/errors.js";
import { formatRange, zoneFor } from "../lib/format.js";
import { submitting } from "../lib/forms.js";

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

/** Wires the maintenance form for a room of a location in `locationZone`; `onRoom(room)` as above. */
export function setUpMaintenance(room, { locationZone, onRoom }) {
  const form = $("#maintenance-form");
  const state = $("#maintenance-state");
  const start = $("#maintenance-start");
  const end = $("#maintenance-end");
  const affected = $("#maintenance-affected");

  function render(current) {
    const on = current.under_maintenance;
    fill(state,
      h("span", { class: `badge ${on ? "warn" : "ok"}`, text: on ? "Under maintenance" : "In service" }),
      " ",
      on ? `Reason: ${current.maintenance_reason}` : "Desks can be booked.");
    start.textContent = on ? "Change reason" : "Start maintenance";
    end.hidden = !on;
    form.elements.reason.value = current.maintenance_reason ?? "";
  }

  /** The bookings maintenance touches, folded away: there can be many. */
  function showAffected(bookings) {
    const zone = zoneFor(locationZone);
    const summary = bookings.length === 0 ? "No upcoming bookings are affected."
      : `${bookings.length} upcoming ${bookings.length === 1 ? "booking is" : "bookings are"} affected; their owners are notified.`;
    fill(affected, bookings.length === 0 ? h("p", { text: summary }) : h("details", {},
      h("summary", { text: summary }),
      h("ul", { class: "plain-list affected-bookings" }, bookings.map((booking) =>
        h("li", {}, h("strong", { text: booking.desk_name ?? "Desk" }), " · ", booking.user?.display_name ?? "someone", " · ",
          formatRange(booking.start, booking.end, zone))))));
    affected.hidden = false;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const reason = form.elements.reason.value.trim();
    if (!reason) {
      showErrors(form, { fields: [{ field: "reason", message: "Say why, for the people whose bookings are affected." }] });
      return;
    }
    submitting(form, async () => {
      const outcome = await put(`/rooms/${room.id}/maintenance`, { reason });
      render(outcome.room);
      showAffected(outcome.affected_bookings);
      onRoom(outcome.room);
      toast("The room is under maintenance.");
    }, { button: start });
  });

  end.addEventListener("click", () => submitting(form, async () => {
    const updated = await del(`/rooms/${room.id}/maintenance`);
    render(updated);
    affected.hidden = true;
    onRoom(updated);
    toast("Maintenance ended; the room can be booked again.");
    start.focus();
  }, { button: end }));

  render(room);
}
