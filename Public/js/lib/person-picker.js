// Choosing a person from the directory (`GET /users?q=`) by typing part of a name or username.
import { get, query } from "./api.js";
import { errorText, fill, h } from "./dom.js";
import { personText, rememberUser } from "./people.js";
import { debounce } from "./timing.js";

const searchDelay = 200;
const shownResults = 8;
let serial = 0;

/**
 * A combobox that hands the chosen person to `onPick(user)`: arrow keys move through the results, Enter picks,
 * Escape closes the list. `onPick` may be async and shows its own errors; when it returns false the typed text stays
 * for another try. `exclude(user)` leaves people out (those already chosen); `activeOnly` leaves out deactivated
 * accounts, which are otherwise listed with a note.
 */
export function personPicker({ label, onPick, exclude = () => false, activeOnly = false, placeholder = "Name or username" }) {
  const inputId = `person-picker-${++serial}`;
  const listId = `${inputId}-list`;
  const statusId = `${inputId}-status`;
  const input = h("input", {
    id: inputId, type: "text", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
    "aria-controls": listId, autocomplete: "off", placeholder, "aria-describedby": statusId,
  });
  const list = h("ul", { id: listId, role: "listbox", class: "person-picker-list", "aria-label": label, hidden: true });
  // Read out and, when nothing matches, shown: a listbox may only hold options.
  const status = h("p", { id: statusId, class: "person-picker-status", "aria-live": "polite" });
  let results = [];
  let active = -1;
  let pending = null;
  let picking = false;

  const close = () => {
    list.hidden = true;
    status.textContent = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index) => {
    active = index;
    list.querySelectorAll("[role=option]").forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    const option = list.children[index];
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };
  const pick = async (user) => {
    if (picking) return;
    picking = true;
    close();
    rememberUser(user);
    input.setAttribute("aria-busy", "true");
    try {
      if ((await onPick(user)) !== false) {
        input.value = "";
        results = [];
      }
    } finally {
      picking = false;
      input.removeAttribute("aria-busy");
    }
  };
  const option = (user, i) => h("li", {
    id: `${listId}-${i}`, role: "option", "aria-selected": "false",
    onMousedown: (event) => { event.preventDefault(); pick(user); },
  }, h("span", { text: user.display_name }), " ",
  h("span", { class: "muted", text: `${user.username}${user.is_active ? "" : " · deactivated"}` }));
  const show = (users) => {
    results = users.filter((user) => (user.is_active || !activeOnly) && !exclude(user));
    fill(list, results.map(option));
    list.hidden = results.length === 0;
    input.setAttribute("aria-expanded", String(results.length > 0));
    status.textContent = results.length ? `${results.length} found; choose with the arrow keys and Enter.` : "No one found.";
    active = -1;
  };
  const search = async () => {
    const q = input.value.trim();
    pending?.abort();
    if (!q) { close(); return; }
    pending = new AbortController();
    try {
      const page = await get(`/users${query({ q, limit: shownResults })}`, { signal: pending.signal });
      show(page.items);
    } catch (error) {
      if (error.name !== "AbortError") status.textContent = errorText(error);
    }
  };

  const searchSoon = debounce(search, searchDelay);
  input.addEventListener("input", searchSoon);
  input.addEventListener("blur", () => setTimeout(close, 100));
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden) { search(); return; }
      if (!results.length) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + results.length) % results.length);
    } else if (event.key === "Enter") {
      event.preventDefault(); // never submits the surrounding form
      if (!list.hidden && results.length) pick(results[Math.max(active, 0)]);
      else { searchSoon.cancel(); search(); }
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault(); // closes the list, not the dialog around it
      event.stopPropagation();
      close();
    }
  });

  return h("div", { class: "field person-picker" },
    h("label", { for: inputId, text: label }),
    h("div", { class: "person-picker-box" }, input, list),
    status);
}

/**
 * One person as a filter: the picker while nobody is chosen, then their name with a button that clears the choice.
 * `onChange(user or null)` runs after each change. Returns `{element, chosen(), set(user or null)}`.
 */
export function personFilter({ label, chosen = null, onChange = () => {} }) {
  const element = h("div", { class: "person-filter" });
  const labelId = `person-filter-${++serial}`;

  function render() {
    if (!chosen) {
      fill(element, personPicker({ label, onPick: (user) => { set(user); element.querySelector("button")?.focus(); } }));
      return;
    }
    fill(element, h("div", { class: "field" },
      h("span", { class: "label", id: labelId, text: label }),
      h("p", { class: "chosen-person", "aria-labelledby": labelId },
        h("span", { text: personText(chosen) }),
        h("button", {
          type: "button", class: "button small quiet", text: "Clear", "aria-label": `Clear the ${label.toLowerCase()} filter (${chosen.display_name})`,
          onClick: () => { set(null); element.querySelector("input").focus(); },
        }))));
  }

  function set(user) {
    chosen = user;
    render();
    onChange(chosen);
  }

  render();
  return { element, chosen: () => chosen, set };
}
