// Finding a person by name or username (`GET /users?q=`) and choosing them with a button per result.
import { get, query } from "../lib/api.js";
import { errorText, fill, h } from "../lib/dom.js";

const searchDelay = 250;
const minimumLetters = 2;
let serial = 0;

/**
 * A search field with a result list. `action` labels each result's button ("Assign", "Add"). `onPick(user)` may
 * be async and shows its own errors; unless it returns false the field is cleared. `skip(user)` leaves people out
 * (e.g. those already chosen).
 */
export function userPicker({ label, action, onPick, skip = () => false }) {
  const id = `user-picker-${++serial}`;
  const input = h("input", { type: "search", id, "aria-describedby": `${id}-hint` });
  const announcement = h("p", { class: "hint picker-status", "aria-live": "polite" });
  const results = h("ul", { class: "plain-list user-results" });
  let timer = null;
  let pending = null;

  async function search() {
    const text = input.value.trim();
    pending?.abort();
    if (text.length < minimumLetters) {
      fill(results);
      announcement.textContent = "";
      return;
    }
    pending = new AbortController();
    try {
      const page = await get(`/users${query({ q: text, limit: 8 })}`, { signal: pending.signal });
      const people = page.items.filter((user) => user.is_active && !skip(user));
      fill(results, people.map(resultItem));
      announcement.textContent = people.length ? `${people.length} found` : `Nobody found for “${text}”`;
    } catch (error) {
      if (error.name === "AbortError") return;
      announcement.textContent = errorText(error);
    }
  }

  function resultItem(user) {
    const button = h("button", { type: "button", class: "button small", "aria-label": `${action} ${user.display_name}`, text: action });
    button.addEventListener("click", async () => {
      button.disabled = true;
      const picked = await onPick(user);
      button.disabled = false;
      if (picked === false) return;
      input.value = "";
      fill(results);
      announcement.textContent = "";
    });
    return h("li", { class: "user-result" },
      h("span", {}, h("span", { class: "user-name", text: user.display_name }), " ", h("span", { class: "muted", text: user.username })),
      button);
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, searchDelay);
  });
  // Enter searches at once instead of submitting a surrounding form.
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    clearTimeout(timer);
    search();
  });

  return h("div", { class: "user-picker" },
    h("div", { class: "field" },
      h("label", { for: id, text: label }),
      input,
      h("p", { class: "hint", id: `${id}-hint`, text: "Type at least two letters of a name or username." })),
    announcement,
    results);
}
