// What the admin pages share: their sub-navigation, who manages what, dialogs with forms, a person picker and the
// time zone select.
import { get, query } from "../lib/api.js";
import { $, h, fill, showErrors, clearErrors, busy, errorText } from "../lib/dom.js";

// MARK: who manages what

/** Ids from the API are upper-case UUIDs; an id typed into a URL may not be. */
export const sameId = (a, b) => String(a ?? "").toUpperCase() === String(b ?? "").toUpperCase();

export const isSuperuser = (me) => me.user.is_superuser;

export function managesLocation(me, locationId) {
  return isSuperuser(me) || me.managed_location_ids.some((id) => sameId(id, locationId));
}

/** Location managers manage every room of their locations. */
export function managesRoom(me, room) {
  return managesLocation(me, room.location_id) || me.managed_room_ids.some((id) => sameId(id, room.id));
}

// MARK: page frame

const sections = [
  { key: "places", href: "/admin", label: "Places", shown: (me) => me.manages },
  { key: "users", href: "/admin/users", label: "People", shown: isSuperuser },
  // The audit log is read by superusers and by location managers (for their locations).
  { key: "audit", href: "/admin/audit", label: "Audit log", shown: (me) => isSuperuser(me) || me.managed_location_ids.length > 0 },
  { key: "autopilot", href: "/admin/autopilot", label: "Autopilot", shown: isSuperuser },
];

/** Fills `#admin-nav` with the admin areas this person may use, `current` marked. */
export function renderAdminNav(me, current) {
  const nav = $("#admin-nav");
  if (!nav) return;
  const links = sections.filter((s) => s.shown(me)).map((s) =>
    h("a", { href: s.href, "aria-current": s.key === current ? "page" : null, text: s.label }));
  fill(nav, links);
  nav.hidden = links.length < 2;
}

/** Replaces the page's content area with a readable notice (no access, not found, …). */
export function showPageNotice(text, kind = "info") {
  const box = $("#admin-content");
  fill(box, h("p", { class: kind === "info" ? "notice info" : "page-error", role: kind === "info" ? "status" : "alert", text }));
  box.removeAttribute("aria-busy");
}

// MARK: errors

/** How the API words a body it cannot decode, and the field message each wording becomes. */
const bodyProblems = [
  [/^Missing field ([a-z_]+)\.$/, () => "is required"],
  [/^Field ([a-z_]+) is invalid: (.*)$/, (match) => match[2]],
  [/^Field ([a-z_]+) has the wrong type/, () => "has the wrong type"],
];

/**
 * The API answers a body it cannot decode (a missing field, "25:00" for a time) with `invalid_body` and the field's
 * name in the text; this turns that into a field error so it shows under the control.
 */
export function withBodyFieldErrors(error) {
  if (error?.code !== "invalid_body" || error.fields?.length) return error;
  for (const [pattern, message] of bodyProblems) {
    const match = pattern.exec(error.message);
    if (match) return { status: error.status, code: error.code, message: error.message, fields: [{ field: match[1], message: message(match) }] };
  }
  return error;
}

// MARK: dialogs

let serial = 0;
const nextId = (prefix) => `${prefix}-${++serial}`;

/**
 * One form control as the dialogs and pages use them. `field`: `{name, label, type, value, options:[{value,label}],
 * required, hint, autocomplete, min, max, step, placeholder}`; type `checkbox` gives a labelled check box.
 */
export function formField(field) {
  const id = field.id ?? nextId(`field-${field.name}`);
  const hintId = field.hint ? `${id}-hint` : null;
  const common = { id, name: field.name, required: field.required, "aria-describedby": hintId, placeholder: field.placeholder };
  if (field.type === "checkbox") {
    return h("div", { class: "field" },
      h("label", { class: "check" }, h("input", { ...common, type: "checkbox", checked: !!field.value }), field.label),
      hintId && h("p", { class: "hint", id: hintId, text: field.hint }));
  }
  let control;
  if (field.type === "select") {
    control = h("select", common, field.options.map((o) =>
      h("option", { value: o.value, selected: String(o.value) === String(field.value ?? ""), text: o.label })));
  } else if (field.type === "textarea") {
    control = h("textarea", { ...common, rows: 3 });
    control.value = field.value ?? "";
  } else {
    control = h("input", {
      ...common, type: field.type ?? "text", min: field.min, max: field.max, step: field.step, autocomplete: field.autocomplete ?? "off",
      inputmode: field.type === "number" ? "numeric" : null,
    });
    control.value = field.value ?? "";
  }
  return h("div", { class: "field" },
    h("label", { for: id, text: field.label }),
    control,
    hintId && h("p", { class: "hint", id: hintId, text: field.hint }));
}

/** The values of a form built from `fields`: numbers as numbers (empty left out), check boxes as booleans. */
export function readFields(form, fields) {
  const values = {};
  for (const field of fields) {
    const control = form.elements.namedItem(field.name);
    if (!control) continue;
    if (field.type === "checkbox") values[field.name] = control.checked;
    else if (field.type === "number") { if (control.value.trim() !== "") values[field.name] = Number(control.value); }
    else if (field.type === "password") { if (control.value !== "") values[field.name] = control.value; }
    else values[field.name] = control.value.trim();
  }
  return values;
}

/**
 * Opens a modal dialog with a form. `onSubmit(values)` does the work; an error it throws is shown in the form, next
 * to the field it names, and the dialog stays open. Resolves to what `onSubmit` returned, or null when cancelled.
 */
export function openFormDialog({ title, intro, fields = [], submitLabel = "Save", danger = false, formId, onSubmit }) {
  const opener = document.activeElement;
  const titleId = nextId("dialog-title");
  const form = h("form", { class: "stack", id: formId ?? null, novalidate: true },
    intro && h("p", { text: intro }),
    fields.map(formField),
    h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
    h("div", { class: "button-row dialog-actions" },
      h("button", { type: "submit", class: danger ? "button danger" : "button primary", text: submitLabel }),
      h("button", { type: "button", class: "button quiet", value: "cancel", text: "Cancel" })));
  const closeButton = h("button", { type: "button", class: "icon-button", "aria-label": "Close", text: "✕" });
  const dialog = h("dialog", { class: "admin-dialog", "aria-labelledby": titleId },
    h("div", { class: "dialog-head" }, h("h2", { id: titleId, text: title }), closeButton),
    h("div", { class: "dialog-body" }, form));
  // Inside <main>, so its content belongs to a landmark; as a modal it shows above everything anyway.
  ($("#main") ?? document.body).append(dialog);

  return new Promise((resolve) => {
    let result = null;
    const close = () => dialog.close();
    closeButton.addEventListener("click", close);
    form.querySelector("button[value=cancel]").addEventListener("click", close);
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener?.isConnected) opener.focus();
      resolve(result);
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(form);
      await busy(form.querySelector("button[type=submit]"), async () => {
        try {
          result = (await onSubmit(readFields(form, fields), form)) ?? true;
          close();
        } catch (error) {
          showErrors(form, withBodyFieldErrors(error));
        }
      });
    });
    dialog.showModal();
    // A question about something destructive starts on "Cancel", so a stray Enter does no harm.
    (form.querySelector("input, select, textarea") ?? form.querySelector(danger ? "button[value=cancel]" : "button[type=submit]")).focus();
  });
}

/** Asks before something that cannot be undone; `action` runs on confirmation and its error shows in the dialog. */
export function confirmAction({ title, message, confirmLabel = "Delete", action }) {
  return openFormDialog({ title, intro: message, submitLabel: confirmLabel, danger: true, onSubmit: action });
}

// MARK: person picker

/**
 * A search box that finds people in the directory (`GET /users?q=`) and hands the chosen one to `onPick(user)`.
 * It is a combobox: arrow keys move through the results, Enter picks, Escape closes the list.
 */
export function userPicker({ label, onPick, placeholder = "Name or username", exclude = () => false }) {
  const inputId = nextId("person-picker");
  const listId = `${inputId}-list`;
  const statusId = `${inputId}-status`;
  const input = h("input", {
    id: inputId, type: "text", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
    "aria-controls": listId, autocomplete: "off", placeholder, "aria-describedby": statusId,
  });
  const list = h("ul", { id: listId, role: "listbox", class: "person-picker-list", "aria-label": label, hidden: true });
  // Read out and, when nothing matches, shown: a listbox may only hold options.
  const status = h("p", { id: statusId, class: "person-picker-status", "aria-live": "polite" });
  let results = [];
  let active = -1;
  let timer = null;
  let lastQuery = "";

  const close = () => {
    list.hidden = true;
    status.textContent = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index) => {
    active = index;
    list.querySelectorAll("[role=option]").forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    const option = list.children[index];
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };
  const pick = async (user) => {
    close();
    input.value = "";
    results = [];
    await onPick(user);
  };
  const show = (users) => {
    results = users.filter((u) => !exclude(u));
    fill(list, results.map((user, i) => h("li", {
      id: `${listId}-${i}`, role: "option", "aria-selected": "false",
      onMousedown: (event) => { event.preventDefault(); pick(user); },
    }, h("span", { text: user.display_name }), " ", h("span", { class: "muted", text: `${user.username}${user.is_active ? "" : " · deactivated"}` }))));
    list.hidden = results.length === 0;
    input.setAttribute("aria-expanded", String(results.length > 0));
    status.textContent = results.length ? `${results.length} found; choose with the arrow keys and Enter.` : "No one found.";
    active = -1;
  };
  const search = async () => {
    const q = input.value.trim();
    lastQuery = q;
    if (!q) { close(); return; }
    try {
      const page = await get(`/users${query({ q, limit: 8 })}`);
      if (q === lastQuery) show(page.items);
    } catch (error) {
      status.textContent = errorText(error);
    }
  };

  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 200); });
  input.addEventListener("blur", () => setTimeout(close, 100));
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden) { search(); return; }
      if (!results.length) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + results.length) % results.length);
    } else if (event.key === "Enter") {
      event.preventDefault(); // never submits the surrounding form
      if (!list.hidden && results.length) pick(results[Math.max(active, 0)]);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault(); // closes the list, not the dialog around it
      event.stopPropagation();
      close();
    }
  });

  return h("div", { class: "field person-picker" },
    h("label", { for: inputId, text: label }),
    h("div", { class: "person-picker-box" }, input, list),
    status);
}

/** A person's name as lists show it. */
export function personLabel(user) {
  return h("span", { class: "person" }, h("span", { text: user.display_name }), " ",
    h("span", { class: "muted", text: `(${user.username})` }));
}

const userCache = new Map();

/** The people a list of ids names, each loaded once per page: `Map(ID → user)`; unknown ids are left out. */
export async function usersById(ids) {
  const wanted = [...new Set(ids.filter(Boolean).map((id) => id.toUpperCase()))];
  await Promise.all(wanted.map((id) => {
    if (!userCache.has(id)) userCache.set(id, get(`/users/${id}`).catch(() => null));
    return userCache.get(id);
  }));
  const found = new Map();
  for (const id of wanted) {
    const user = await userCache.get(id);
    if (user) found.set(id, user);
  }
  return found;
}

// MARK: time zones

/** Options for a time zone select: every IANA zone the browser knows, with `current` kept even if it does not. */
export function timezoneOptions(current) {
  const zones = Intl.supportedValuesOf("timeZone");
  if (current && !zones.includes(current)) zones.unshift(current);
  return zones.map((zone) => ({ value: zone, label: zone.replaceAll("_", " ") }));
}

// MARK: floors and rooms

/** The fields of a floor, for its creation and its edits. */
export const floorFields = (floor = {}) => [
  { name: "name", label: "Name", value: floor.name, required: true },
  { name: "level", label: "Level", type: "number", value: floor.level ?? 0, step: 1,
    hint: "Orders the floors: 0 is the ground floor, -1 a basement." },
];

export const roomFields = (room = {}) => [
  { name: "name", label: "Name", value: room.name, required: true },
  { name: "description", label: "Description", type: "textarea", value: room.description },
];
