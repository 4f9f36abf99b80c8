// Loading data a page shows: check what the person typed before asking the server, and show any read that failed on
// the page itself, next to what it concerns, instead of keeping numbers that belong to something else.
import { addDays, formatDayWithWeekday, isIsoDay } from "./format.js";
import { errorText, h } from "./dom.js";

/** Days before today a page still looks back to. */
export const lookBackDays = 366;

/**
 * Why `text` is not a day a page can show, or null when it is: it must be a real `YYYY-MM-DD` day (a 4-digit year:
 * a slip such as 52026 is caught here rather than by the server) within `[earliest, latest]` when they are given.
 * `latestReason` explains the upper limit, e.g. "Bookings are open up to Fri 3 Apr".
 */
export function dayProblem(text, { earliest = null, latest = null, latestReason = null } = {}) {
  if (!text) return "Enter a day.";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return "Enter a real day with a 4-digit year.";
  if (!isIsoDay(text)) return "That day does not exist.";
  if (earliest && text < earliest) return `Choose a day from ${formatDayWithWeekday(earliest)} on.`;
  if (latest && text > latest) return latestReason ?? `Choose a day up to ${formatDayWithWeekday(latest)}.`;
  return null;
}

/** The earliest day a page looks back to from `today`. */
export function earliestDay(today) {
  return addDays(today, -lookBackDays);
}

/**
 * Marks a date input as wrong (`problem`) or right again (null), with the message under it; sets `min`/`max` so the
 * browser's own picker offers only what is allowed.
 */
export function markDay(input, problem) {
  const id = `${input.id || "day"}-problem`;
  let note = document.getElementById(id);
  if (!problem) {
    input.removeAttribute("aria-invalid");
    if (note) note.remove();
    const described = (input.getAttribute("aria-describedby") ?? "").split(" ").filter((part) => part && part !== id);
    if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    else input.removeAttribute("aria-describedby");
    return;
  }
  if (!note) {
    note = h("p", { class: "field-error day-problem", id, role: "alert" });
    input.insertAdjacentElement("afterend", note);
  }
  note.textContent = problem;
  input.setAttribute("aria-invalid", "true");
  const described = new Set((input.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean));
  described.add(id);
  input.setAttribute("aria-describedby", [...described].join(" "));
}

/**
 * Shows that a read failed, as the first thing inside `box` (replacing an earlier notice there): what could not be
 * read and why, with a "Try again" button when `retry` is given.
 */
export function showLoadError(box, error, { what = "This part of the page", retry = null } = {}) {
  if (!box) return;
  clearLoadError(box);
  const notice = h("div", { class: "load-error notice error", role: "alert" },
    h("p", { text: `${what} could not load: ${errorText(error)}` }),
    retry && h("button", { type: "button", class: "button small", text: "Try again", onClick: () => retry() }));
  box.prepend(notice);
}

/** Takes a notice of `showLoadError` away again. */
export function clearLoadError(box) {
  for (const notice of box?.querySelectorAll(":scope > .load-error") ?? []) notice.remove();
}

/**
 * Runs `load`; a failure is shown in `box` (see `showLoadError`) and resolves to `fallback`, a success clears an
 * earlier notice. Aborted reads (a newer one replaced them) are neither shown nor cleared.
 */
export async function loadInto(box, load, { what, retry, fallback = undefined } = {}) {
  try {
    const result = await load();
    clearLoadError(box);
    return result;
  } catch (error) {
    if (error?.name === "AbortError") return fallback;
    if (error?.status === 401) throw error;
    showLoadError(box, error, { what, retry });
    return fallback;
  }
}
