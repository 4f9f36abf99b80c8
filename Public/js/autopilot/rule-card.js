// One rule as a list item: its name, mode and status as text badges, what it targets in words, and its counters.
// The person's page adds actions; the oversight page shows it as it is.
import { clockText } from "../lib/calendar.js";
import { h } from "../lib/dom.js";
import { zoneLabel } from "../lib/format.js";
import {
  badge, countersText, daysText, ruleModes, ruleStatusBadge, spansText, statusReasonText, weekdaysText, windowText,
} from "./describe.js";
import { outlookText } from "./outlook.js";
import { deskName, floorsOf, locationById, roomsOf } from "./places.js";

/** Names of the ids among `items` (rooms or floors), in the given order. */
function namesOf(ids, items) {
  const byId = new Map(items.map((item) => [item.id, item.name]));
  return ids.map((id) => byId.get(id) ?? "one no longer listed").join(", ");
}

/** Where a rule or request wants a desk, in words: location, floors, rooms, ranked desks, tags. */
export async function whereText(criteria) {
  const [location, floors, rooms, desks] = await Promise.all([
    locationById(criteria.location_id),
    criteria.floor_ids.length ? floorsOf(criteria.location_id) : [],
    criteria.room_ids.length ? roomsOf(criteria.location_id) : [],
    Promise.all(criteria.desk_ids.map((id) => deskName(id, criteria.location_id))),
  ]);
  const where = [location?.name ?? "A location you no longer see"];
  if (criteria.floor_ids.length) where.push(`floors: ${namesOf(criteria.floor_ids, floors)}`);
  if (criteria.room_ids.length) where.push(`rooms: ${namesOf(criteria.room_ids, rooms)}`);
  if (desks.length) {
    where.push(`desks, best first: ${desks.join(", ")}${criteria.accepts_other_desks ? " (or another matching desk)" : " (only these)"}`);
  }
  if (criteria.tags.length) where.push(`with ${criteria.tags.join(", ")}`);
  return where.join(" · ");
}

/** "Where" and "when" of a rule in words. */
export async function ruleSummary(rule) {
  const [where, location] = await Promise.all([whereText(rule), locationById(rule.location_id)]);
  const when = [rule.weekdays.length ? weekdaysText(rule.weekdays) : "no weekdays"];
  const zone = location ? ` ${location.name} time (${zoneLabel(location.timezone)})` : "";
  when.push(rule.window ? `${windowText(rule.window)}${zone}` : "the whole bookable day");
  if (rule.extra_dates.length) when.push(`also ${daysText(rule.extra_dates)}`);
  if (rule.blacklist_dates.length) when.push(`not on ${daysText(rule.blacklist_dates)}`);
  if (rule.blacklist_ranges.length) when.push(`not ${spansText(rule.blacklist_ranges)}`);
  if (rule.skip_today_after) when.push(`not for today after ${clockText(rule.skip_today_after)}`);
  return { where, when: when.join(" · "), location };
}

const hasCounts = (counters) => Object.values(counters ?? {}).some((n) => n > 0);

/** "Now" (what stands on the rule's days) and "Next" (what it does next), in words. */
function outlookFacts(rule, location) {
  if (!rule.outlook) return null;
  const { now, next } = outlookText(rule, location);
  return [
    now.length > 0 && [h("dt", { text: "Now" }),
      h("dd", { class: "rule-outlook" }, h("ul", { class: "outlook-lines" }, now.map((line) => h("li", { text: line }))))],
    next && [h("dt", { text: "Next" }), h("dd", { class: "rule-next", text: next })],
  ];
}

/** The list item of a rule; `actions` (nodes) go below, `extra` (nodes) after the name. */
export function ruleItem(rule, summary, { actions = [], headingLevel = "h3", extra = [] } = {}) {
  const reason = statusReasonText(rule);
  const mode = ruleModes[rule.mode] ?? { label: rule.mode };
  return h("li", { class: `rule status-${rule.status}`, dataset: { ruleId: rule.id, status: rule.status } },
    h("div", { class: "rule-head" },
      h(headingLevel, { class: "rule-name", text: rule.name }),
      h("span", { class: "rule-badges" },
        h("span", { class: "visually-hidden", text: "Mode: " }), badge(mode.label, "mode"),
        h("span", { class: "visually-hidden", text: "Status: " }), ruleStatusBadge(rule)),
      extra),
    reason && h("p", { class: `rule-reason ${rule.status}`, text: reason }),
    h("dl", { class: "rule-facts" },
      h("dt", { text: "Where" }), h("dd", { text: summary.where }),
      h("dt", { text: "When" }), h("dd", { text: summary.when }),
      outlookFacts(rule, summary.location),
      hasCounts(rule.counters) && [h("dt", { text: "So far" }), h("dd", { class: "rule-counters", text: countersText(rule.counters) })]),
    actions.length > 0 && h("div", { class: "button-row rule-actions" }, actions));
}
