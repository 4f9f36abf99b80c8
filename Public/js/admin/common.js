// What the admin pages share: their sub-navigation, who manages what, and dialogs with forms.
import { $, h, fill } from "../lib/dom.js";
import { modal } from "../lib/dialog.js";
import { submitting } from "../lib/forms.js";
import { sameId } from "../lib/ids.js";
import { timezoneOptions } from "../lib/timezones.js";

// MARK: who manages what

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
  // Location managers keep their locations' webhooks; the mail set-up and the outbox are for superusers.
  { key: "notifications", href: "/admin/notifications", label: "Notifications", shown: (me) => isSuperuser(me) || me.managed_location_ids.length > 0 },
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

// MARK: dialogs

let serial = 0;

/**
 * One form control as the dialogs and pages use them. `field`: `{name, label, type, value, options:[{value,label}],
 * required, hint, autocomplete, min, max, step, placeholder}`; type `checkbox` gives a labelled check box, type
 * `timezone` a select of every time zone.
 */
export function formField(field) {
  const id = field.id ?? `field-${field.name}-${++serial}`;
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
  } else if (field.type === "timezone") {
    control = h("select", common, timezoneOptions(field.value));
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
  const form = h("form", { class: "stack", id: formId ?? null, novalidate: true },
    intro && h("p", { text: intro }),
    fields.map(formField),
    h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
    h("div", { class: "button-row dialog-actions" },
      h("button", { type: "submit", class: danger ? "button danger" : "button primary", text: submitLabel }),
      h("button", { type: "button", class: "button quiet", value: "cancel", text: "Cancel" })));
  const dialog = modal({ title, content: form, className: "admin-dialog", closeButton: true });

  return new Promise((resolve) => {
    let result = null;
    form.querySelector("button[value=cancel]").addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      if (opener?.isConnected) opener.focus();
      resolve(result);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submitting(form, async () => {
        result = (await onSubmit(readFields(form, fields), form)) ?? true;
        dialog.close();
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
