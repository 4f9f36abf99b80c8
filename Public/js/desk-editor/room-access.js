// Who may use the room (its gate) and who manages it. Both are for managers of the location.
import { del, get, put } from "../lib/api.js";
import { $, busy, fill, h, toast } from "../lib/dom.js";
import { showMessage } from "../lib/errors.js";
import { submitting } from "../lib/forms.js";
import { sameId } from "../lib/ids.js";
import { personLabel } from "../lib/people.js";
import { personPicker } from "../lib/person-picker.js";

/** The groups a room is restricted to (empty: open); null when the viewer may not read it. */
async function currentGate(room) {
  try {
    return (await get(`/rooms/${room.id}/gate`)).group_ids;
  } catch {
    return null;
  }
}

export async function setUpGate(room, location) {
  const form = $("#room-gate-form");
  const state = $("#gate-state");
  const box = $("#gate-groups");
  const [groups, gate] = await Promise.all([get(`/locations/${room.location_id}/groups`), currentGate(room)]);

  function describe(ids) {
    if (ids === null) return "The current setting could not be read; saving replaces it.";
    if (ids.length === 0) return `Open to everyone who may enter ${location.name}.`;
    const names = groups.filter((group) => ids.some((id) => sameId(id, group.id))).map((group) => group.name);
    return `Only for members of: ${names.join(", ")} (and managers).`;
  }

  fill(state, describe(gate));
  if (groups.length === 0) {
    fill(box, h("p", { class: "empty", text: `${location.name} has no groups yet; the room is open to everyone who may enter it.` }));
    form.querySelector("[type=submit]").hidden = true;
  } else {
    fill(box, groups.map((group) => h("label", { class: "check" },
      h("input", { type: "checkbox", name: "group_ids", value: group.id, checked: Boolean(gate?.some((id) => sameId(id, group.id))) }),
      group.name)));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const ids = [...form.querySelectorAll("[name=group_ids]:checked")].map((box) => box.value);
    submitting(form, async () => {
      const saved = await put(`/rooms/${room.id}/gate`, { group_ids: ids });
      fill(state, describe(saved.group_ids));
      toast("Access saved.");
    });
  });
  $("#room-gate-card").hidden = false;
}

export async function setUpManagers(room) {
  const list = $("#room-managers");
  const error = $("#room-managers-error");
  let managers = await get(`/rooms/${room.id}/managers`);

  function render() {
    if (managers.length === 0) {
      fill(list, h("li", { class: "empty", text: "No room managers; managers of the location manage it." }));
      return;
    }
    fill(list, managers.map((user) => {
      const remove = h("button", { type: "button", class: "button small danger", text: "Remove",
        "aria-label": `Remove ${user.display_name} as room manager` });
      remove.addEventListener("click", () => busy(remove, () => removeManager(user)));
      return h("li", { class: "manager" }, personLabel(user), remove);
    }));
  }

  async function addManager(user) {
    showMessage(error, null);
    try {
      await put(`/rooms/${room.id}/managers/${user.id}`);
      managers = [...managers, user].sort((a, b) => a.username.localeCompare(b.username));
      render();
      toast(`${user.display_name} now manages this room.`);
      return true;
    } catch (failure) {
      showMessage(error, failure);
      return false;
    }
  }

  async function removeManager(user) {
    showMessage(error, null);
    try {
      await del(`/rooms/${room.id}/managers/${user.id}`);
      managers = managers.filter((other) => other.id !== user.id);
      render();
      toast(`${user.display_name} no longer manages this room.`);
      $("#room-manager-picker input").focus();
    } catch (failure) {
      showMessage(error, failure);
    }
  }

  render();
  $("#room-manager-picker").append(personPicker({
    label: "Add a room manager", onPick: addManager, activeOnly: true,
    exclude: (user) => managers.some((manager) => manager.id === user.id),
  }));
  $("#room-managers-card").hidden = false;
}
