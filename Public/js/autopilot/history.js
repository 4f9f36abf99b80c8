// The history of the requests the person's rules filed (`#autopilot-history`), newest first, a page at a time,
// with the outcome of each and, where a draw decided it, an explanation on demand.
import { get, query } from "../lib/api.js";
import { busy, errorText, fill, h } from "../lib/dom.js";
import { formatDateTime, formatDayWithWeekday, zoneFor } from "../lib/format.js";
import { requestStatusBadge } from "./describe.js";
import { deskName } from "./places.js";
import { explanationToggle } from "./round-explainer.js";

/** What became of a request, in a sentence. */
async function outcomeText(request) {
  if (request.status === "won") return `Desk ${await deskName(request.desk_id, request.location_id)}.`;
  return request.reason ?? null;
}

/** Requests per page: enough to fill the screen, few enough that the desk names of a page load quickly. */
const pageSize = 25;

export function createHistory({ list, moreButton, filter, ruleOf, locationsById }) {
  let cursor = null;
  let serial = 0;

  async function entry(request) {
    const location = locationsById.get(request.location_id);
    const outcome = await outcomeText(request);
    const rule = request.rule_id ? ruleOf(request.rule_id) : null;
    return h("li", { class: "history-entry", dataset: { requestId: request.id, status: request.status } },
      h("div", { class: "history-head" },
        h("strong", { class: "history-day", text: formatDayWithWeekday(request.date) }),
        h("span", { class: "muted", text: location?.name ?? "" }),
        requestStatusBadge(request)),
      outcome && h("p", { class: "history-outcome", text: outcome }),
      h("p", { class: "muted history-meta", text: [
        rule ? `Rule “${rule.name}”` : "A rule since deleted",
        `asked ${formatDateTime(request.created_at, zoneFor(null))}`,
      ].join(" · ") }),
      explanationToggle(request));
  }

  function showEmpty() {
    if (!list.querySelector(".history-entry")) {
      fill(list, h("li", { class: "empty", text: "Nothing yet. Requests your rules file show up here with what became of them; "
        + "a new rule files its first ones within moments." }));
    }
  }

  /** The first page (`reset`) or the next one. */
  async function load(reset) {
    const mine = ++serial;
    if (reset) cursor = null;
    list.setAttribute("aria-busy", "true");
    const page = await get(`/me/autopilot/history${query({ rule_id: filter.value, cursor, limit: pageSize })}`);
    const entries = await Promise.all(page.items.map(entry));
    if (mine !== serial) return; // the filter changed meanwhile
    if (reset) fill(list, entries);
    else list.append(...entries);
    cursor = page.next_cursor ?? null;
    moreButton.hidden = !cursor;
    list.removeAttribute("aria-busy");
    showEmpty();
    return entries;
  }

  moreButton.addEventListener("click", () => busy(moreButton, async () => {
    const added = await load(false).catch((error) => { list.append(h("li", { class: "page-error", text: errorText(error) })); });
    // Keyboard users continue where the new entries start.
    const first = added?.[0];
    if (first) {
      first.tabIndex = -1;
      first.focus();
    }
  }));
  filter.addEventListener("change", () => load(true).catch((error) => fill(list, h("li", { class: "page-error", text: errorText(error) }))));

  return {
    load: () => load(true),
    /** Puts the rules into the filter, keeping the choice while that rule exists. */
    setRules(rules) {
      const chosen = filter.value;
      fill(filter, h("option", { value: "", text: "All rules" }), rules.map((rule) => h("option", { value: rule.id, text: rule.name })));
      filter.value = rules.some((rule) => rule.id === chosen) ? chosen : "";
    },
    /** A request heard live: changed in place, or put on top when it is new and passes the filter. */
    async upsert(request) {
      if (!request.rule_id || (filter.value && filter.value !== request.rule_id)) return;
      const known = list.querySelector(`li.history-entry[data-request-id="${request.id}"]`);
      if (known?.dataset.status === request.status) return;
      const fresh = await entry(request);
      if (known) known.replaceWith(fresh);
      else {
        list.querySelector(".empty")?.remove();
        list.prepend(fresh);
      }
    },
  };
}
