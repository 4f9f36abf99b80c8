// The properties of the selected desk: name, tags, orientation, active flag, permanent owner, deletion.
import { del, patch, put } from "../lib/api.js";
import { confirm } from "../lib/dialog.js";
import { $, busy, clearErrors, fill, h, showErrors } from "../lib/dom.js";
import { clashOn, showMessage } from "../lib/errors.js";
import { submitting } from "../lib/forms.js";
import { personText, userById } from "../lib/people.js";
import { personPicker } from "../lib/person-picker.js";
import { deskTitle } from "./desk-names.js";

/** "Monitor, dual screen" → ["monitor", "dual-screen"]: the server's tag spelling (a-z, 0-9, '-'). */
function parseTags(text) {
  const tags = text.split(",").map((tag) => tag.trim().toLowerCase().replace(/\s+/g, "-")).filter(Boolean);
  return [...new Set(tags)];
}

export function createDeskPanel(editor) {
  const form = $("#desk-form");
  const title = $("#desk-panel-title");
  const empty = $("#desk-panel-empty");
  const body = $("#desk-panel-body");
  const ownerCurrent = $("#desk-owner-current");
  const ownerError = $("#desk-owner-error");
  const deleteError = $("#desk-delete-error");
  let desk = null;

  function show(selected, { focusForm = false } = {}) {
    const changed = selected?.id !== desk?.id;
    desk = selected;
    body.hidden = !desk;
    empty.hidden = Boolean(desk);
    title.textContent = desk ? deskTitle(desk.name) : "Desk properties";
    if (!desk) return;
    if (changed) {
      clearErrors(form);
      showMessage(ownerError, null);
      showMessage(deleteError, null);
      fillForm();
    }
    showOwner();
    if (focusForm) form.elements.name.focus();
  }

  function fillForm() {
    form.elements.name.value = desk.name;
    form.elements.tags.value = desk.tags.join(", ");
    form.elements.orientation.value = desk.orientation;
    form.elements.is_active.checked = desk.is_active;
  }

  /** Takes a changed desk from the server into the editor and, when it is the one shown, into the panel. */
  function accept(updated) {
    editor.upsert(updated);
    if (desk?.id === updated.id) {
      desk = updated;
      title.textContent = deskTitle(desk.name);
      showOwner();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!desk) return;
    const name = form.elements.name.value.trim();
    if (!name) {
      showErrors(form, { fields: [{ field: "name", message: "Give the desk a name." }] });
      return;
    }
    const changes = {
      name, tags: parseTags(form.elements.tags.value), orientation: form.elements.orientation.value,
      is_active: form.elements.is_active.checked,
    };
    submitting(form, async () => {
      const updated = await patch(`/desks/${desk.id}`, changes);
      accept(updated);
      fillForm();
      editor.setStatus("Saved");
    }, { explain: (error) => clashOn("name", error) });
  });

  $("#desk-move").addEventListener("click", () => {
    const { id, name } = desk;
    editor.startPlacement(`Click on the map where ${name} goes.`, (at) => {
      editor.moveTo(id, at);
      editor.focus(id);
    });
  });

  // MARK: permanent owner
  async function showOwner() {
    const shownFor = desk;
    if (!desk.permanent_user_id) {
      fill(ownerCurrent, "Nobody: anyone allowed in the room can book it.");
      return;
    }
    fill(ownerCurrent, "Loading…");
    // Looked up once per page: several desks often belong to the same few owners.
    const owner = await userById(desk.permanent_user_id);
    const label = owner ? personText(owner) : "Someone whose account cannot be read";
    if (desk !== shownFor) return;
    const clear = h("button", { type: "button", class: "button small", text: "Remove owner", onClick: () => busy(clear, clearOwner) });
    fill(ownerCurrent, h("span", { text: `Belongs to ${label}. ` }), clear);
  }

  async function setOwner(user) {
    showMessage(ownerError, null);
    try {
      const updated = await put(`/desks/${desk.id}/permanent`, { user_id: user.id });
      accept(updated);
      editor.setStatus(`${updated.name} now belongs to ${user.display_name}.`);
      return true;
    } catch (error) {
      showMessage(ownerError, error);
      return false;
    }
  }

  async function clearOwner() {
    showMessage(ownerError, null);
    try {
      const updated = await del(`/desks/${desk.id}/permanent`);
      accept(updated);
      editor.setStatus(`${updated.name} has no permanent owner any more.`);
    } catch (error) {
      showMessage(ownerError, error);
    }
  }

  $("#desk-owner-picker").append(personPicker({
    label: "Give it permanently to", onPick: setOwner, activeOnly: true,
    exclude: (user) => user.id === desk?.permanent_user_id,
  }));

  // Deleting asks first; the server refuses desks with bookings.
  $("#desk-delete").addEventListener("click", async () => {
    const { id, name } = desk;
    const sure = await confirm({
      title: "Delete desk?", message: `Delete ${name} from this room? This cannot be undone.`, confirmLabel: "Delete desk",
      danger: true, ids: { dialog: "delete-desk-dialog" },
    });
    if (!sure) return;
    showMessage(deleteError, null);
    try {
      await del(`/desks/${id}`);
      editor.remove(id);
      editor.setStatus(`${name} was deleted.`);
      $("#add-desk").focus();
    } catch (error) {
      showMessage(deleteError, error.code === "not_empty"
        ? `${name} has bookings, so it cannot be deleted. Untick “Active” instead; its bookings stay in the history.` : error);
      $("#desk-delete").focus();
    }
  });

  return { show };
}
