// The numbers an operator watches (`#autopilot-stats`, from `GET /admin/stats`), as tables.
import { get } from "../lib/api.js";
import { fill, h } from "../lib/dom.js";
import { formatDateTime, formatDayWithWeekday, zoneFor } from "../lib/format.js";
import { requestStatuses, ruleModes, ruleStatuses } from "./describe.js";

/** A table with a caption-like heading; `columns` are `{label, number}`; `rows` arrays of cell texts. */
function statsTable(title, columns, rows, empty, { wide = false } = {}) {
  const id = `stats-${title.toLowerCase().replaceAll(/[^a-z]+/g, "-")}`;
  return h("section", { "aria-labelledby": id, class: wide ? "wide" : null },
    h("h3", { id, text: title }),
    rows.length
      ? h("div", { class: "table-wrap" }, h("table", { "aria-labelledby": id },
        h("thead", {}, h("tr", {}, columns.map((column) => h("th", { scope: "col", class: column.number ? "number" : null, text: column.label })))),
        h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((cell, i) => (i === 0
          ? h("th", { scope: "row", text: cell })
          : h("td", { class: columns[i].number ? "number" : null, text: String(cell) }))))))))
      : h("p", { class: "empty", text: empty }));
}

export async function showStats(box, locationsById) {
  const stats = await get("/admin/stats");
  const locationName = (id) => locationsById.get(id)?.name ?? "A location no longer listed";
  const statuses = Object.keys(requestStatuses);
  const days = Object.keys(stats.requests_per_day).sort().reverse();
  fill(box,
    statsTable("Rules", [{ label: "What" }, { label: "Count", number: true }], [
      ["People with active rules", stats.users_with_active_rules],
      ...Object.entries(ruleStatuses).map(([status, { label }]) => [`${label} rules`, stats.rules_by_status[status] ?? 0]),
      ...Object.keys(ruleModes).map((mode) => [`Rules that ${mode}`, stats.rules_by_mode[mode] ?? 0]),
    ], ""),
    statsTable("Requests per day",
      [{ label: "Day" }, ...statuses.map((status) => ({ label: requestStatuses[status].label, number: true })), { label: "All", number: true }],
      days.map((day) => {
        const counts = stats.requests_per_day[day];
        const cells = statuses.map((status) => counts[status] ?? 0);
        return [formatDayWithWeekday(day), ...cells, cells.reduce((a, b) => a + b, 0)];
      }), "No requests in the last two weeks.", { wide: true }),
    statsTable("Recent rounds",
      [{ label: "Day" }, { label: "Location" }, { label: "Ran" }, { label: "People", number: true },
        { label: "Got a desk", number: true }, { label: "Waitlisted", number: true }],
      stats.recent_rounds.map((round) => {
        const zone = zoneFor(locationsById.get(round.location_id)?.timezone);
        return [formatDayWithWeekday(round.date), locationName(round.location_id), formatDateTime(round.ran_at, zone),
          round.participants, round.winners, round.waitlisted];
      }), "No rounds in the last two weeks.", { wide: true }),
    statsTable("Waitlists", [{ label: "Day" }, { label: "Location" }, { label: "Waiting", number: true }],
      stats.waitlists.map((w) => [formatDayWithWeekday(w.date), locationName(w.location_id), w.waiting]), "Nobody is waiting."));
  box.removeAttribute("aria-busy");
}
