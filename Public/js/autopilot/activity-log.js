// The live activity log (`#autopilot-log`): the stored lines, newest first, and new ones put on top as they come.
import { get } from "../lib/api.js";
import { fill, h } from "../lib/dom.js";
import { formatDateTime, zoneFor } from "../lib/format.js";
import { badge } from "./describe.js";

/** The server keeps this many lines per person; the list shows no more. */
const shownLines = 200;

const levels = { warning: { label: "Warning", kind: "warn" }, error: { label: "Error", kind: "danger" } };

/**
 * `ruleOf(id)` finds one of the person's rules, for its name. When the autopilot acted belongs to no place: it is shown
 * in the person's own zone (docs/time.md).
 */
export function createActivityLog({ list, ruleOf, locationsById }) {
  const seen = new Set();

  function line(entry) {
    const rule = entry.rule_id ? ruleOf(entry.rule_id) : null;
    const level = levels[entry.level];
    return h("li", { class: `log-line level-${entry.level}`, dataset: { entryId: entry.id } },
      h("time", { datetime: entry.at, text: formatDateTime(entry.at, zoneFor(null)) }),
      level && badge(level.label, level.kind),
      entry.rule_id && h("span", { class: "log-rule", dataset: { ruleId: entry.rule_id }, text: rule?.name ?? "" }),
      h("span", { class: "log-message", text: entry.message }));
  }

  function showEmpty() {
    if (!list.querySelector(".log-line")) fill(list, h("li", { class: "empty", text: "Nothing yet. A rule writes here as soon as it acts: the days it asks for, those already booked, "
      + "and what the draw gave." }));
  }

  return {
    /** Shows `entries` (newest first) in place of what is there. */
    show(entries) {
      seen.clear();
      for (const entry of entries) seen.add(entry.id);
      fill(list, entries.slice(0, shownLines).map(line));
      list.removeAttribute("aria-busy");
      showEmpty();
    },
    async load() {
      return this.show(await get("/me/autopilot/log"));
    },
    /** Names rules in lines that arrived before the rule itself was known here (a rule just made acts at once). */
    nameRules() {
      for (const span of list.querySelectorAll(".log-rule")) span.textContent = ruleOf(span.dataset.ruleId)?.name ?? span.textContent;
    },
    /** A line heard live; the live region reads it out. */
    prepend(entry) {
      if (seen.has(entry.id)) return;
      seen.add(entry.id);
      list.querySelector(".empty")?.remove();
      list.prepend(line(entry));
      while (list.children.length > shownLines) list.lastElementChild.remove();
    },
  };
}
