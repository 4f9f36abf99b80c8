// Ranked desk preferences: pick desks from a list and order them with Up/Down buttons, best first.
import { h, fill } from "../lib/dom.js";

const maximumPreferences = 20;

/**
 * A picker for the `desk_ids` field. `setDesks(all, candidates)` gives every desk of the location (to name chosen
 * ones) and those that may be added now; `chosen()` is the ranked list of ids.
 */
export function createDeskPicker({ idPrefix, legend = "Preferred desks, best first" }) {
  let all = new Map();
  let candidates = [];
  let chosen = [];

  const selectId = `${idPrefix}-add`;
  const select = h("select", { id: selectId });
  const addButton = h("button", { type: "button", class: "button small", text: "Add desk" });
  const list = h("ol", { class: "ranked-desks" });
  const emptyNote = h("p", { class: "empty", text: "No desks chosen: any matching desk will do." });
  const announcer = h("p", { class: "visually-hidden", "aria-live": "polite" });
  const element = h("fieldset", { class: "field desk-picker", "data-field": "desk_ids" },
    h("legend", { text: legend }),
    list, emptyNote,
    h("div", { class: "desk-picker-add" },
      h("label", { for: selectId, text: "Desk to add" }), select, addButton),
    announcer);

  const label = (id) => {
    const desk = all.get(id);
    return desk ? `${desk.name} (${desk.room.name})` : "A desk no longer at this location";
  };

  function renderOptions() {
    const free = candidates.filter((desk) => !chosen.includes(desk.id));
    const groups = new Map();
    for (const desk of free) {
      if (!groups.has(desk.room.id)) groups.set(desk.room.id, h("optgroup", { label: desk.room.name }));
      groups.get(desk.room.id).append(h("option", { value: desk.id, text: desk.name + (desk.tags.length ? ` · ${desk.tags.join(", ")}` : "") }));
    }
    const full = chosen.length >= maximumPreferences;
    fill(select, free.length ? [...groups.values()] : h("option", { value: "", text: "No more desks to add" }));
    select.disabled = free.length === 0 || full;
    addButton.disabled = free.length === 0 || full;
  }

  function renderList(focus) {
    fill(list, chosen.map((id, index) => {
      const name = all.get(id)?.name ?? "desk";
      return h("li", { dataset: { deskId: id } },
        h("span", { class: "rank", text: `${index + 1}.` }),
        h("span", { class: "desk-label", text: label(id) }),
        h("span", { class: "button-row" },
          h("button", { type: "button", class: "button small", "aria-label": `Move ${name} up`, disabled: index === 0,
            dataset: { move: "up" }, onClick: () => move(index, -1), text: "Up" }),
          h("button", { type: "button", class: "button small", "aria-label": `Move ${name} down`,
            disabled: index === chosen.length - 1, dataset: { move: "down" }, onClick: () => move(index, 1), text: "Down" }),
          h("button", { type: "button", class: "button small quiet", "aria-label": `Remove ${name}`,
            onClick: () => remove(index), text: "Remove" })));
    }));
    emptyNote.hidden = chosen.length > 0;
    renderOptions();
    focus?.();
  }

  function move(index, step) {
    const target = index + step;
    [chosen[index], chosen[target]] = [chosen[target], chosen[index]];
    const direction = step < 0 ? "up" : "down";
    // Keep focus on the same button of the moved desk, or on the other one when it reached an end.
    renderList(() => {
      const item = list.children[target];
      const button = item.querySelector(`[data-move="${direction}"]`);
      (button.disabled ? item.querySelector(`[data-move="${direction === "up" ? "down" : "up"}"]`) : button).focus();
    });
    announcer.textContent = `${all.get(chosen[target])?.name ?? "Desk"} is now choice ${target + 1}.`;
  }

  function remove(index) {
    const [id] = chosen.splice(index, 1);
    renderList(() => (list.children[Math.min(index, chosen.length - 1)]?.querySelector("button:not(:disabled)") ?? select).focus());
    announcer.textContent = `${all.get(id)?.name ?? "Desk"} removed.`;
  }

  addButton.addEventListener("click", () => {
    if (!select.value) return;
    chosen.push(select.value);
    renderList();
    announcer.textContent = `${all.get(chosen.at(-1))?.name ?? "Desk"} added as choice ${chosen.length}.`;
    (select.disabled ? list.lastElementChild?.querySelector("button") : select)?.focus();
  });

  return {
    element,
    setDesks(allDesks, candidateDesks) {
      all = new Map(allDesks.map((desk) => [desk.id, desk]));
      candidates = candidateDesks;
      renderList();
    },
    setChosen(ids) {
      chosen = [...ids];
      renderList();
    },
    chosen: () => [...chosen],
  };
}
