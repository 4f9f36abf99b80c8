// The room's desks as a table: the same states as the plan, in words, for screen readers and small screens.
import { h, fill } from "../lib/dom.js";
import { isBookable, stateLabel } from "./desk-state.js";

/** Fills `tbody` with one row per desk; `onOpen(deskId, button)` books from a row. */
export function createDeskList(tbody, onOpen) {
  const rows = new Map();

  function setDesks(desks) {
    rows.clear();
    fill(tbody, desks.map((desk) => {
      const open = h("button", { type: "button", class: "button small desk-open", onClick: () => onOpen(desk.id, open) }, desk.name);
      const state = h("span", { class: "desk-state" });
      const row = h("tr", {},
        h("th", { scope: "row" }, open),
        h("td", {}, desk.tags.length ? desk.tags.map((tag) => h("span", { class: "badge", text: tag })) : h("span", { class: "muted", text: "—" })),
        h("td", {}, state));
      rows.set(desk.id, { open, state });
      return row;
    }));
    if (!desks.length) fill(tbody, h("tr", {}, h("td", { colspan: "3", class: "empty", text: "This room has no desks yet." })));
  }

  /** Shows a desk's state in words; desks that cannot take a booking from me get no booking button. */
  function show(deskId, { state, free }, label) {
    const row = rows.get(deskId);
    if (!row) return;
    fill(row.state, h("span", { class: `swatch state-${state}`, dataset: { state }, "aria-hidden": "true" }),
      ` ${stateLabel(state)}${free.length ? ", partly free" : ""}`);
    row.open.disabled = !isBookable(state);
    row.open.setAttribute("aria-label", `${label}. Open booking`);
  }

  return { setDesks, show };
}
