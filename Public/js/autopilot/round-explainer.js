// "Why did I get this desk?": a day's round report (`GET /locations/{id}/rounds?date=`) told in words for one request.
import { get } from "../lib/api.js";
import { minutesOf } from "../lib/calendar.js";
import { busy, errorText, fill, h } from "../lib/dom.js";
import { addDays, formatDateTime, formatDayWithWeekday, zonedInstant, zoneFor } from "../lib/format.js";
import { plural } from "../lib/words.js";
import { windowText } from "./describe.js";
import { deskName, locationById } from "./places.js";
import { explainer } from "./glossary.js";
import { whereText } from "./rule-card.js";

/** Requests whose outcome a round (or its waitlist) decided, and so have something to explain, with the question asked. */
const questions = { won: "Why did I get this desk?", waitlisted: "Why am I waiting?", expired: "Why no desk?", failed: "Why no desk?" };

/** "1st", "2nd", "11th", "23rd". */
function ordinal(n) {
  if (n % 100 >= 11 && n % 100 <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th"}`;
}

/** How the draw treated the person: their turn and the weight that made an early turn more or less likely. */
function drawText(line, report) {
  if (line.position == null) return `You were not in the draw: ${line.reason ?? "no reason was recorded"}.`;
  const debt = line.recent_losses === 0
    ? "you had not gone without a desk in recent rounds"
    : `you had gone without a desk in ${plural(line.recent_losses, "recent round")}`;
  return `You were drawn ${ordinal(line.position + 1)} of ${report.participants}. Your weight was `
    + `${Number(line.weight.toFixed(2))} because ${debt}; people who missed out recently weigh more, so they tend to get `
    + "an earlier turn. Asking earlier or more often makes no difference.";
}

/** Why the round gave this line what it gave, from its outcome and preference rank. */
function outcomeText(line) {
  const desk = line.desk_name ?? "a desk";
  switch (line.outcome) {
    case "preferred":
      return line.preference_rank === 0
        ? `Your first choice, ${desk}, was still free when your turn came, so you got it.`
        : `Your first ${plural(line.preference_rank, "choice")} ${line.preference_rank === 1 ? "was" : "were"} taken by people `
          + `drawn before you; your choice number ${line.preference_rank + 1}, ${desk}, was still free.`;
    case "matching":
      return `None of the desks you named was free at your turn; ${desk} was the first free desk matching your rooms and tags.`;
    case "waitlisted":
      return "Every desk you accept was taken by people drawn before you, so you went onto the waitlist as number "
        + `${(line.waitlist_position ?? 0) + 1}. A desk that frees up goes to the first person waiting whom it suits.`;
    default:
      return line.explanation;
  }
}

/** What happened after the round, when it differs from what the round gave. */
async function sinceText(request, line) {
  if (line?.outcome !== "waitlisted") return null;
  if (request.status === "won") return `Later a desk you accept freed up and went to you from the waitlist: ${await deskName(request.desk_id, request.location_id)}.`;
  if (request.status === "expired") return "No desk you accept freed up before the day ended.";
  return null;
}

async function askedText(request) {
  return `You asked for: ${await whereText(request)}; ${windowText(request.window)}.`;
}

/** When the location's booking window reached `day`: its draw runs then, so later requests are not part of it. */
function openingOf(day, location) {
  const policy = location.policy;
  return zonedInstant(addDays(day, -policy.max_advance_days), minutesOf(policy.release_time), location.timezone);
}

/** The round report of the request's day, or null when none ran; a request filed after the day opened is not asked about. */
async function reportFor(request, location) {
  if (location && new Date(request.created_at) >= openingOf(request.date, location)) return null;
  try {
    return await get(`/locations/${request.location_id}/rounds?date=${request.date}`);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

/** Paragraphs that explain the outcome of one of the person's requests. */
async function explainRequest(request) {
  const location = await locationById(request.location_id);
  const zone = zoneFor(location?.timezone);
  const place = `${location?.name ?? "this location"} on ${formatDayWithWeekday(request.date)}`;
  const [report, asked] = await Promise.all([reportFor(request, location), askedText(request)]);
  if (!report) {
    return [
      h("p", { text: `No draw decided ${place}: your request came after the day had opened for booking, so it took a free `
        + "matching desk at once or waited on the waitlist in the order requests came in." }),
      h("p", { text: asked }),
      request.reason && h("p", { text: request.reason }),
    ];
  }
  const line = report.lines.find((l) => l.request_id === request.id);
  const ran = `The draw for ${place} ran ${formatDateTime(report.ran_at, zone)}`
    + `${report.trigger === "admin" ? ", started early by a manager" : ", when the day opened"}. `
    + `${plural(report.participants, "person", "people")} took part: ${report.winners} got a desk and `
    + `${report.waitlisted} went onto the waitlist.`;
  if (!line) {
    return [
      h("p", { text: ran }),
      h("p", { text: "Your request came after the draw, so it was not part of it: it took a free matching desk at once or "
        + "waited on the waitlist in the order requests came in." }),
      h("p", { text: asked }),
      request.reason && h("p", { text: request.reason }),
    ];
  }
  const since = await sinceText(request, line);
  return [
    h("p", { text: ran }),
    h("p", { class: "explain-draw", text: drawText(line, report) }),
    h("p", { text: asked }),
    h("p", { class: "explain-outcome", text: outcomeText(line) }),
    since && h("p", { text: since }),
    explainer("round"), explainer("draw"), line.outcome === "waitlisted" && explainer("waitlist"),
  ];
}

let boxSerial = 0;

/** A "Why …?" button that shows the explanation below it, loaded on first use; nothing for requests still waiting for their draw. */
export function explanationToggle(request) {
  if (!questions[request.status]) return null;
  // A request may be listed twice on a page (history and open requests), so ids are counted, not derived.
  const box = h("div", { class: "round-explanation", id: `explanation-${++boxSerial}`, hidden: true });
  const button = h("button", {
    type: "button", class: "button small why", "aria-expanded": "false", "aria-controls": box.id, text: questions[request.status],
    onClick: () => toggle(button, box, request),
  });
  return [button, box];
}

async function toggle(button, box, request) {
  const open = button.getAttribute("aria-expanded") === "true";
  button.setAttribute("aria-expanded", String(!open));
  box.hidden = open;
  if (open || box.dataset.loaded) return;
  await busy(button, async () => {
    fill(box, h("p", { class: "muted", text: "Looking up the draw…" }));
    try {
      fill(box, await explainRequest(request));
      box.dataset.loaded = "true";
    } catch (error) {
      fill(box, h("p", { class: "field-error", text: `The explanation could not load: ${errorText(error)}` }));
    }
  });
}
