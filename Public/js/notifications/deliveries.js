// A delivery log: e-mails and webhook calls of the outbox, newest first, a page at a time, each with its status,
// attempts, last response and error, and "Redeliver" for what failed. Used for one webhook endpoint (Settings and
// Admin) and for the whole outbox (Admin). Times belong to no place: they are in the person's own zone.
import { get, post, query } from "../lib/api.js";
import { busy, errorText, fill, h, toast } from "../lib/dom.js";
import { formatDateTime, ownZone, zoneLabel } from "../lib/format.js";
import { showLoadError, clearLoadError } from "../lib/load-errors.js";
import { usersById } from "../lib/people.js";
import { plural } from "../lib/words.js";

const pageSize = 20;
/** While deliveries are pending, an open log looks again this often (ms), so that their outcome shows by itself. */
const pendingRefresh = 5000;

const statusBadges = {
  delivered: { text: "Delivered", kind: "ok" },
  pending: { text: "Pending", kind: "warn" },
  failed: { text: "Failed", kind: "danger" },
};

/** "420 ms", "1.3 s". */
export function durationText(ms) {
  if (ms === undefined || ms === null) return "—";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10000 ? 1 : 0)} s`;
}

function when(instant) {
  const zone = ownZone();
  return h("time", { datetime: instant, text: formatDateTime(instant, zone), title: zoneLabel(zone, instant) });
}

/**
 * A delivery log element. `path` lists deliveries (`{items, next_cursor}`), `params()` adds filters; `redeliverPath
 * (delivery)` is where "Redeliver" posts; `channel` shows the channel and recipient column (the whole outbox);
 * `label` names the log for screen readers. Returns `{element, reload}`.
 */
export function deliveryLog({ path, params = () => ({}), redeliverPath, channel = false, label, emptyText = "No deliveries yet." }) {
  let cursor = null;
  let request = 0;
  let pages = 0;
  let refresh = null;
  const status = h("p", { class: "muted delivery-status", role: "status" });
  const body = h("tbody");
  const more = h("button", { type: "button", class: "button small", text: "Load more", hidden: true });
  const table = h("table", { class: "delivery-table responsive-table" },
    h("caption", { class: "visually-hidden", text: label }),
    h("thead", {}, h("tr", {},
      ["When", channel && "Channel", channel && "To", "Event", "Status", "Attempts", "Response", "Duration", "Last error"].filter(Boolean)
        .map((text) => h("th", { scope: "col", text })),
      h("th", { scope: "col" }, h("span", { class: "visually-hidden", text: "Actions" })))),
    body);
  const element = h("div", { class: "delivery-log" }, status, h("div", { class: "table-wrap" }, table),
    h("div", { class: "button-row delivery-more" }, more));

  async function load(append = false) {
    const mine = ++request;
    clearTimeout(refresh);
    element.setAttribute("aria-busy", "true");
    if (!append) status.textContent = "Loading deliveries…";
    try {
      const page = await get(`${path}${query({ ...params(), limit: pageSize, cursor: append ? cursor : null })}`);
      if (mine !== request) return;
      clearLoadError(element);
      const rows = page.items.map(row);
      if (append) body.append(...rows); else fill(body, rows);
      if (channel) nameRecipients(rows);
      pages = append ? pages + 1 : 1;
      cursor = page.next_cursor ?? null;
      more.hidden = !cursor;
      const shown = body.rows.length;
      status.textContent = shown === 0 ? emptyText : `${plural(shown, "delivery", "deliveries")} shown${cursor ? "; there are more" : ""}.`;
      table.hidden = shown === 0;
      if (append) rows[0]?.querySelector("td")?.focus();
      // Pending ones are followed until they are settled, unless more pages were loaded (a reload would fold them).
      if (pages === 1 && body.querySelector("[data-status=pending]")) {
        refresh = setTimeout(() => { if (element.isConnected && !element.closest("[hidden]")) load(false); }, pendingRefresh);
      }
    } catch (error) {
      if (mine !== request) return;
      status.textContent = "";
      showLoadError(element, error, { what: "The delivery log", retry: () => load(append) });
    } finally {
      if (mine === request) element.removeAttribute("aria-busy");
    }
  }

  function row(delivery) {
    const badge = statusBadges[delivery.status] ?? { text: delivery.status, kind: "" };
    const next = delivery.status === "pending" && delivery.next_attempt_at;
    return h("tr", { dataset: { deliveryId: delivery.id, status: delivery.status } },
      h("td", { dataset: { label: "When" }, tabindex: "-1", class: "delivery-when" }, when(delivery.last_attempt_at ?? delivery.created_at)),
      channel && h("td", { dataset: { label: "Channel" }, text: delivery.channel === "email" ? "E-mail" : "Webhook" }),
      channel && h("td", { dataset: { label: "To", recipient: delivery.recipient ?? "" }, class: "delivery-to", text: delivery.channel === "webhook" ? "Webhook endpoint" : "—" }),
      h("td", { dataset: { label: "Event" } }, h("code", { class: "event-type", text: delivery.event_type })),
      h("td", { dataset: { label: "Status" } }, h("span", { class: `badge ${badge.kind}`, text: badge.text }),
        next && h("span", { class: "muted delivery-next" }, " next try ", when(delivery.next_attempt_at))),
      h("td", { dataset: { label: "Attempts" } }, String(delivery.attempts), attemptDetails(delivery)),
      h("td", { dataset: { label: "Response" }, text: delivery.last_status_code ? `HTTP ${delivery.last_status_code}` : "—" }),
      h("td", { dataset: { label: "Duration" }, text: durationText(delivery.last_duration_ms) }),
      h("td", { dataset: { label: "Last error" }, class: "delivery-error", text: delivery.last_error || "—" }),
      h("td", { class: "row-actions" }, delivery.status === "failed" && redeliverPath && h("button", {
        type: "button", class: "button small", text: "Redeliver", dataset: { action: "redeliver" },
        onClick: (event) => redeliver(delivery, event.currentTarget),
      })));
  }

  async function redeliver(delivery, button) {
    try {
      await busy(button, () => post(redeliverPath(delivery)));
      toast(`${delivery.event_type} queued again: it goes out now.`);
      await load(false);
      element.querySelector("td")?.focus();
    } catch (error) {
      toast(errorText(error), "error");
    }
  }

  more.addEventListener("click", () => busy(more, () => load(true)));
  return { element, reload: () => load(false) };
}

/** E-mails name the person they go to (the API gives their id). */
async function nameRecipients(rows) {
  const cells = rows.map((row) => row.querySelector("td[data-recipient]")).filter((cell) => cell?.dataset.recipient);
  const people = await usersById(cells.map((cell) => cell.dataset.recipient));
  for (const cell of cells) {
    const person = people.get(cell.dataset.recipient.toUpperCase());
    cell.textContent = person ? person.display_name : "A person no longer here";
  }
}

/** The latest attempts of a delivery, folded away: when, response, duration, error. */
function attemptDetails(delivery) {
  const attempts = delivery.attempt_log ?? [];
  if (attempts.length === 0) return null;
  return h("details", { class: "delivery-attempts" },
    h("summary", {}, h("span", { class: "visually-hidden", text: `Attempts of ${delivery.event_type}: ` }), "details"),
    h("ol", { class: "plain-list" }, attempts.map((attempt) => h("li", {},
      when(attempt.at), " · ",
      h("span", { class: attempt.succeeded ? "attempt-ok" : "attempt-failed", text: attempt.succeeded ? "succeeded" : "failed" }),
      attempt.status_code ? ` · HTTP ${attempt.status_code}` : "",
      ` · ${durationText(attempt.duration_ms)}`,
      attempt.error && h("span", { class: "muted attempt-error", text: ` · ${attempt.error}` })))));
}
