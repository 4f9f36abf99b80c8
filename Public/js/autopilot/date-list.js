// A list of days (or spans of days) edited with date inputs and an Add button: extra dates, blacklisted dates
// and holiday ranges of a rule.
import { h, fill } from "../lib/dom.js";
import { formatDayWithWeekday } from "../lib/format.js";
import { dateFormatHint } from "../lib/time-input.js";

/**
 * `field` is the API field the list fills (errors land there); with `range` each entry is `{from, to}`, else a
 * `YYYY-MM-DD` day.
 */
export function createDateList({ field, idPrefix, legend, hint, range = false }) {
  let entries = [];
  const fromId = `${idPrefix}-from`, toId = `${idPrefix}-to`;
  const fromInput = h("input", { type: "date", id: fromId });
  const toInput = range ? h("input", { type: "date", id: toId }) : null;
  const addButton = h("button", { type: "button", class: "button small", text: "Add" });
  const note = h("p", { class: "field-error", hidden: true });
  const list = h("ul", { class: "date-chips" });
  const element = h("fieldset", { class: "field date-list", "data-field": field },
    h("legend", { text: legend }),
    hint && h("p", { class: "hint", text: hint }),
    list,
    h("div", { class: "form-row" },
      // Native date fields keep their calendar picker; the label names the browser's format they are written in.
      h("div", { class: "field" }, h("label", { for: fromId }, range ? "From" : "Day", " ", dateFormatHint(fromInput)), fromInput),
      range && h("div", { class: "field" }, h("label", { for: toId }, "To (inclusive)", " ", dateFormatHint(toInput)), toInput),
      addButton),
    note);

  const keyOf = (entry) => (range ? `${entry.from}/${entry.to}` : entry);
  const textOf = (entry) => (range
    ? `${formatDayWithWeekday(entry.from)} to ${formatDayWithWeekday(entry.to)}`
    : formatDayWithWeekday(entry));

  function render() {
    fill(list, entries.map((entry, index) => h("li", {},
      h("span", { text: textOf(entry) }),
      h("button", { type: "button", class: "button small quiet", "aria-label": `Remove ${textOf(entry)}`, text: "Remove",
        onClick: () => {
          entries.splice(index, 1);
          render();
          (list.children[Math.min(index, entries.length - 1)]?.querySelector("button") ?? fromInput).focus();
        } }))));
    list.hidden = entries.length === 0;
  }

  function complain(message, control) {
    note.textContent = message;
    note.hidden = false;
    control.focus();
    return false;
  }

  /** Adds what the inputs hold; false (with a note) when it is incomplete. */
  function add() {
    note.hidden = true;
    if (!fromInput.value) return complain("Choose a day first.", fromInput);
    let entry = fromInput.value;
    if (range) {
      if (!toInput.value) return complain("Choose the last day of the range too.", toInput);
      if (toInput.value < fromInput.value) return complain("The last day must not be before the first.", toInput);
      entry = { from: fromInput.value, to: toInput.value };
    }
    if (!entries.some((known) => keyOf(known) === keyOf(entry))) {
      entries.push(entry);
      entries.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    }
    fromInput.value = "";
    if (toInput) toInput.value = "";
    render();
    return true;
  }

  addButton.addEventListener("click", () => { if (add()) fromInput.focus(); });

  render();
  return {
    element,
    set(values) {
      entries = values.map((value) => (range ? { from: value.from, to: value.to } : value));
      note.hidden = true;
      render();
    },
    /** Keeps a day typed but not yet added, so saving does not silently drop it; false when it is incomplete. */
    commitPending: () => (fromInput.value || toInput?.value ? add() : true),
    values: () => entries.map((entry) => (range ? { ...entry } : entry)),
  };
}
