// Small DOM helpers. Text always goes in as text, never as HTML, so nothing from the API can inject markup.

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/**
 * Creates an element. `attrs` keys: `class`, `text`, `dataset` (object), `on<Event>` (listener), booleans
 * (set when true), anything else as an attribute. Children may be nodes, strings, arrays, null or false.
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") element.className = value;
    else if (key === "text") element.textContent = value;
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") element.addEventListener(key.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(key, "");
    else element.setAttribute(key, value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's content. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** The readable message of an error from the API (or anything thrown). */
export function errorText(error) {
  if (!error) return "";
  if (error.fields?.length) return error.fields.map((f) => `${f.field.replaceAll("_", " ")}: ${f.message}`).join("; ");
  return error.message || String(error);
}

let fieldErrorSerial = 0;

/**
 * Shows an API error next to what caused it: each field error under the form control with that `name` (falling
 * back to `data-field`), the rest in the form's `.form-error` element. Returns the first control in error.
 */
export function showErrors(form, error) {
  clearErrors(form);
  const leftover = [];
  let first = null;
  for (const { field, message } of error?.fields ?? []) {
    const control = form.querySelector(`[name="${CSS.escape(field)}"], [data-field="${CSS.escape(field)}"]`);
    if (!control) { leftover.push(`${field.replaceAll("_", " ")}: ${message}`); continue; }
    const note = h("p", { class: "field-error", id: `field-error-${++fieldErrorSerial}`, text: message });
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", note.id);
    (control.closest(".field") ?? control.parentElement).append(note);
    first ??= control;
  }
  const summary = form.querySelector(".form-error");
  const text = error?.fields?.length ? leftover.join("; ") : errorText(error);
  if (summary && text) {
    summary.textContent = text;
    summary.hidden = false;
  } else if (text) {
    toast(text, "error");
  }
  (first ?? summary)?.focus?.();
  return first;
}

export function clearErrors(form) {
  for (const note of $$(".field-error", form)) note.remove();
  for (const control of $$("[aria-invalid]", form)) {
    control.removeAttribute("aria-invalid");
    control.removeAttribute("aria-describedby");
  }
  const summary = form.querySelector(".form-error");
  if (summary) { summary.hidden = true; summary.textContent = ""; }
}

/** A short message in the corner, read out by screen readers. */
/** Shows a passing message; one with a `key` takes the place of the one with that key still shown. */
export function toast(message, kind = "info", { key } = {}) {
  const box = document.getElementById("toasts");
  if (!box) return;
  const item = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : null, text: message, dataset: key ? { key } : null });
  const earlier = key && [...box.children].find((toastItem) => toastItem.dataset.key === key);
  if (earlier) earlier.replaceWith(item);
  else box.append(item);
  setTimeout(() => item.remove(), kind === "error" ? 8000 : 4000);
}

/** Disables a button while `work` runs, so a double click cannot send twice. */
export async function busy(button, work) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try { return await work(); } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

/** Form fields as an object of trimmed strings (empty ones left out). */
export function formValues(form) {
  const values = {};
  for (const [key, value] of new FormData(form)) {
    if (typeof value === "string" && value.trim() !== "") values[key] = value.trim();
  }
  return values;
}

/** The id of the page's subject, from `<main data-id>`. */
export function pageId() {
  return document.getElementById("main")?.dataset.id ?? null;
}
