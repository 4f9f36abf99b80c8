// Admin of one location: its details, booking policy, managers, groups and members, gate, and floors with rooms.
import { get, post, put, patch, del, query } from "../../lib/api.js";
import { $, h, fill, toast, showErrors, clearErrors, errorText, pageId } from "../../lib/dom.js";
import { clockText } from "../../lib/calendar.js";
import { formatClock, formatDuration } from "../../lib/format.js";
import { submitting } from "../../lib/forms.js";
import { clockHint, clockValue, showClockValue, timeInput } from "../../lib/time-input.js";
import { sameId } from "../../lib/ids.js";
import { personLabel } from "../../lib/people.js";
import { personPicker } from "../../lib/person-picker.js";
import { runPage } from "../../lib/session.js";
import {
  renderAdminNav, showPageNotice, isSuperuser, managesLocation, formField, readFields, openFormDialog, confirmAction,
  floorFields, roomFields,
} from "../../admin/common.js";

let me = null;
let place = null;
/** The location's groups, each with `members` once loaded. */
let groups = [];
/** Group ids of the location's gate; null when it could not be read. */
let gateGroupIds = null;

runPage(async (session) => {
  me = session.me;
  renderAdminNav(me, "places");
  const id = pageId();
  if (!managesLocation(me, id)) {
    showPageNotice("You do not manage this location. Ask an administrator if you should.");
    return;
  }
  try {
    place = await get(`/locations/${id}`);
  } catch (error) {
    showPageNotice(error.status === 404 ? "This location does not exist." : `The location could not load: ${errorText(error)}`, "error");
    return;
  }
  const [countries, defaults] = await Promise.all([get("/countries"), get("/policy/defaults"), loadGroups(), loadGate()]);
  policyDefaults = defaults;
  renderHead(countries);
  renderDetails(countries);
  renderPolicy();
  await Promise.all([renderManagers(), renderFloors()]);
  renderGroups();
  renderGate();
  $("#location-status").hidden = true;
  $("#location-sections").hidden = false;
  $("#admin-content").removeAttribute("aria-busy");
});

// MARK: head and details

function renderHead(countries) {
  document.title = `${place.name} · DeskPilot`;
  $("#location-title").textContent = place.name;
  const country = countries.find((c) => sameId(c.id, place.country_id));
  $("#location-country").textContent = country ? `› ${country.name}` : "";
  fill($("#location-actions"),
    h("a", { class: "button", href: `/admin/audit${query({ location_id: place.id })}`, text: "Audit log" }),
    isSuperuser(me) && h("button", {
      type: "button", class: "button danger", text: "Delete location",
      onClick: async () => {
        const done = await confirmAction({
          title: `Delete ${place.name}?`, message: "Only a location without floors can be deleted. Its groups are deleted with it.",
          action: () => del(`/locations/${place.id}`),
        });
        if (done) location.assign("/admin");
      },
    }));
}

function detailFields(countries) {
  return [
    { name: "name", label: "Name", value: place.name, required: true },
    { name: "address", label: "Address", type: "textarea", value: place.address },
    { name: "timezone", label: "Time zone", type: "timezone", value: place.timezone,
      hint: "Days, opening hours and the release time follow this zone." },
    // Only superusers move a location to another country.
    isSuperuser(me) && { name: "country_id", label: "Country", type: "select", value: place.country_id,
      options: countries.map((c) => ({ value: c.id, label: c.name })) },
    { name: "room_managers_add_members", label: "Room managers may add people to this location's groups", type: "checkbox",
      value: place.room_managers_add_members },
  ].filter(Boolean);
}

function renderDetails(countries) {
  const form = $("#location-form");
  const fields = detailFields(countries);
  fill(form, fields.map(formField), formFooter("Save details"));
  form.onsubmit = (event) => {
    event.preventDefault();
    submitting(form, async () => {
      place = await patch(`/locations/${place.id}`, readFields(form, fields));
      renderHead(countries);
      toast(`${place.name} saved.`);
    });
  };
}

function formFooter(label) {
  return [
    h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
    h("div", { class: "button-row" }, h("button", { type: "submit", class: "button primary", text: label })),
  ];
}

// MARK: policy

/** The global defaults every location starts from (`GET /policy/defaults`), loaded with the page. */
let policyDefaults = {};

const granularities = [5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440];

/** ISO weekdays as the policy names them (1 = Monday … 7 = Sunday). */
const weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** Opening weekdays in words, runs joined: "Monday–Friday", "Monday–Wednesday, Saturday". */
function weekdaysText(days) {
  const runs = [];
  for (const day of [...days].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && last[1] + 1 === day) last[1] = day; else runs.push([day, day]);
  }
  return runs.map(([from, to]) => from === to ? weekdayNames[from - 1]
    : to === from + 1 ? `${weekdayNames[from - 1]}, ${weekdayNames[to - 1]}`
      : `${weekdayNames[from - 1]}–${weekdayNames[to - 1]}`).join(", ") || "no day";
}


/** The policy's rules in the order the form shows them; `show` renders a value for people. */
const policyRules = [
  { group: "Booking window", name: "max_advance_days", label: "Days ahead that can be booked", type: "number", min: 0, max: 365,
    show: (n) => `${n} days` },
  { group: "Booking window", name: "release_time", label: "Time a new day opens", type: "time", show: clockText,
    hint: "The day that many days ahead opens at this local time; requests filed before then are allocated fairly." },
  { group: "Opening hours", name: "open_weekdays", label: "Open on", type: "weekdays", show: weekdaysText,
    hint: "Nothing can be booked or requested on the other days; rounds and autopilot rules skip them." },
  { group: "Opening hours", name: "bookable_from", label: "Bookable from", type: "time", show: clockText },
  { group: "Opening hours", name: "bookable_until", label: "Bookable until", type: "time", show: clockText,
    hint: () => `Midnight (${formatClock(1440)}) is the end of the day.` },
  { group: "Opening hours", name: "granularity_minutes", label: "Time steps", type: "select", show: formatDuration,
    options: granularities.map((m) => ({ value: m, label: formatDuration(m) })) },
  { group: "Duration", name: "min_duration_minutes", label: "Shortest booking (minutes)", type: "number", min: 1, show: formatDuration },
  { group: "Duration", name: "max_duration_minutes", label: "Longest booking (minutes)", type: "number", min: 1, show: formatDuration },
  { group: "Per person", name: "max_concurrent_per_user", label: "Desks at the same time", type: "number", min: 1, max: 100, show: String },
  { group: "Per person", name: "max_upcoming_per_user", label: "Upcoming bookings", type: "number", min: 1, max: 10000, show: String },
  { group: "Check-in", name: "check_in_required", label: "Check-in required", type: "select", show: (v) => (v ? "Yes" : "No"),
    options: [{ value: "true", label: "Yes" }, { value: "false", label: "No" }] },
  { group: "Check-in", name: "check_in_grace_minutes", label: "Release a booking not checked in after (minutes)", type: "number",
    min: 0, max: 1440, show: formatDuration },
  { group: "Privacy", name: "booker_visibility", label: "Who sees who booked a desk", type: "select",
    show: (v) => (v === "everyone" ? "Everyone" : "Managers only"),
    options: [{ value: "everyone", label: "Everyone" }, { value: "managers", label: "Managers only" }] },
];

/** Whether the location sets a rule itself rather than following the global default. */
function overrides(rule) {
  const value = place.policy_overrides[rule.name];
  return value !== undefined && value !== null;
}

function renderPolicy() {
  const form = $("#policy-form");
  const groupNames = [...new Set(policyRules.map((r) => r.group))];
  fill(form,
    groupNames.map((name) => h("fieldset", { class: "policy-group" }, h("legend", { text: name }),
      policyRules.filter((r) => r.group === name).map(policyRow))),
    formFooter("Save policy"));
  form.onsubmit = (event) => {
    event.preventDefault();
    submitting(form, savePolicy);
  };
}

function policyRow(rule) {
  const own = overrides(rule);
  const value = place.policy[rule.name];
  const id = `policy-${rule.name}`;
  const hintId = `${id}-hint`;
  let control;
  if (rule.type === "weekdays") {
    // A fieldset, so that disabling it (while the default applies) disables every day at once.
    control = h("fieldset", { id, class: "weekday-checks", "aria-describedby": hintId },
      h("legend", { class: "visually-hidden", text: rule.label }),
      weekdayNames.map((name, index) => h("label", { class: "check" },
        h("input", { type: "checkbox", name: rule.name, value: index + 1, checked: value.includes(index + 1) }), name.slice(0, 3))));
  } else if (rule.type === "select") {
    control = h("select", { id, name: rule.name, "aria-describedby": hintId }, rule.options.map((o) =>
      h("option", { value: o.value, selected: String(o.value) === String(value), text: o.label })));
  } else if (rule.type === "time") {
    // Written in the person's clock format; read back as the API's "HH:MM".
    control = timeInput({ id, name: rule.name, step: 30, "aria-describedby": hintId });
    showClockValue(control, value);
  } else {
    control = h("input", { id, name: rule.name, type: "number", step: 1, min: rule.min, max: rule.max, "aria-describedby": hintId });
    control.value = value;
  }
  control.disabled = !own;
  const useDefault = h("input", { type: "checkbox", name: `${rule.name}__default`, checked: !own });
  const status = h("span", { class: "badge ok", text: "Set here", hidden: !own });
  useDefault.addEventListener("change", () => {
    control.disabled = useDefault.checked;
    status.hidden = useDefault.checked;
    if (rule.type === "weekdays") {
      if (useDefault.checked) setWeekdays(control, policyDefaults[rule.name]);
      else control.querySelector("input").focus();
    } else if (useDefault.checked) {
      if (rule.type === "time") showClockValue(control, policyDefaults[rule.name]);
      else control.value = policyDefaults[rule.name];
    } else control.focus();
  });
  return h("div", { class: "field policy-rule", dataset: { rule: rule.name } },
    h("div", { class: "policy-label" }, rule.type === "weekdays"
      ? h("span", { class: "label", id: `${id}-label`, text: rule.label })
      : h("label", { for: id, text: rule.label }), status),
    h("div", { class: "policy-control" }, control, h("label", { class: "check" }, useDefault, "Use default")),
    h("p", { class: "hint", id: hintId }, [`Default: ${rule.show(policyDefaults[rule.name])}.`,
      typeof rule.hint === "function" ? rule.hint() : rule.hint,
      rule.type === "time" && `Written ${clockHint()}.`].filter(Boolean).join(" ")));
}

function setWeekdays(control, days) {
  for (const box of control.querySelectorAll("input")) box.checked = days.includes(Number(box.value));
}

/** The value of a rule's control as the API takes it. */
function ruleValue(rule, control) {
  if (rule.type === "weekdays") {
    const days = [...$(`#policy-${rule.name}`).querySelectorAll("input:checked")].map((box) => Number(box.value));
    return days.length ? days : null;
  }
  if (rule.name === "check_in_required") return control.value === "true";
  if (rule.type === "number" || rule.name === "granularity_minutes") {
    return control.value.trim() === "" ? null : Number(control.value);
  }
  return control.value.trim();
}

/** Sends the rules that change; a rule put back on the default is sent as null, so it follows the default again. */
async function savePolicy() {
  const form = $("#policy-form");
  const changes = {};
  const missing = [];
  for (const rule of policyRules) {
    if (form.elements.namedItem(`${rule.name}__default`).checked) {
      if (overrides(rule)) changes[rule.name] = null;
      continue;
    }
    const control = form.elements.namedItem(rule.name);
    const typedTime = rule.type === "time" ? clockValue(control, { end: rule.name === "bookable_until" }) : null;
    if (typedTime?.problem) {
      missing.push({ field: rule.name, message: typedTime.problem });
      continue;
    }
    const wanted = typedTime ? typedTime.value : ruleValue(rule, control);
    if (wanted === null) {
      missing.push({ field: rule.name, message: rule.type === "weekdays" ? "Choose at least one day or use the default." : "Enter a value or use the default." });
    } else if (!overrides(rule) || JSON.stringify(wanted) !== JSON.stringify(place.policy[rule.name])) changes[rule.name] = wanted;
  }
  if (missing.length) {
    showErrors(form, { fields: missing });
    return;
  }
  if (Object.keys(changes).length === 0) {
    toast("The policy has no changes to save.");
    return;
  }
  place = await patch(`/locations/${place.id}/policy`, changes);
  renderPolicy();
  toast("Policy saved.");
}

// MARK: managers

async function renderManagers() {
  const box = $("#managers .managers-body");
  let managers;
  try {
    managers = await get(`/locations/${place.id}/managers`);
  } catch (error) {
    fill(box, h("p", { class: "page-error", role: "alert", text: errorText(error) }));
    return;
  }
  const superuser = isSuperuser(me);
  const error = h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true });
  const setManager = async (user, present) => {
    clearErrors(box);
    try {
      await (present ? put : del)(`/locations/${place.id}/managers/${user.id}`);
      toast(`${user.display_name} ${present ? "now manages" : "no longer manages"} ${place.name}.`);
      await renderManagers();
      ($("#managers input[role=combobox]") ?? $("#managers-title")).focus();
    } catch (failure) {
      showErrors(box, failure);
    }
  };
  fill(box,
    managers.length
      ? h("ul", { class: "plain-list person-list" }, managers.map((user) => h("li", { dataset: { userId: user.id } },
        personLabel(user),
        superuser && h("button", {
          type: "button", class: "button small danger", text: "Remove", "aria-label": `Remove ${user.display_name} as manager`,
          onClick: () => setManager(user, false),
        }))))
      : h("p", { class: "empty", text: "No managers yet." }),
    superuser
      ? personPicker({ label: "Add a manager", onPick: (user) => setManager(user, true), exclude: (u) => managers.some((m) => m.id === u.id) })
      : h("p", { class: "muted", text: "Only administrators appoint location managers." }),
    error);
}

// MARK: groups and members

async function loadGroups() {
  groups = await get(`/locations/${pageId()}/groups`);
  await Promise.all(groups.map(async (group) => { group.members = await get(`/groups/${group.id}/members`); }));
}

const groupFields = (group = {}) => [
  { name: "name", label: "Name", value: group.name, required: true },
  { name: "description", label: "Description", value: group.description },
];

function renderGroups(focus = null) {
  const box = $("#groups .groups-body");
  const createForm = h("form", { class: "stack group-create", novalidate: true, "aria-label": "New group" },
    h("div", { class: "form-row" }, groupFields().map(formField)),
    h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
    h("div", { class: "button-row" }, h("button", { type: "submit", class: "button", text: "Add group" })));
  createForm.addEventListener("submit", (event) => {
    event.preventDefault();
    submitting(createForm, async () => {
      const group = await post(`/locations/${place.id}/groups`, readFields(createForm, groupFields()));
      group.members = [];
      groups = [...groups, group].sort((a, b) => a.name.localeCompare(b.name));
      toast(`Group ${group.name} added.`);
      refreshGroups(`[data-group-id="${group.id}"] .group-name`);
    });
  });
  fill(box,
    groups.length
      ? h("ul", { class: "plain-list group-list" }, groups.map(groupItem))
      : h("p", { class: "empty", text: "No groups yet. Groups decide who may use a gated location or room." }),
    h("h3", { text: "New group" }),
    createForm);
  if (focus) box.querySelector(focus)?.focus();
}

/** Groups changed: redraw them and the gate that lists them. */
function refreshGroups(focus) {
  renderGroups(focus);
  renderGate();
}

function groupItem(group) {
  const panelId = `group-members-${group.id}`;
  const toggle = h("button", {
    type: "button", class: "button small", "aria-expanded": "false", "aria-controls": panelId,
    text: `Members (${group.members.length})`, "aria-label": `Members of ${group.name} (${group.members.length})`,
  });
  const panel = h("div", { id: panelId, class: "group-members", hidden: true }, membersPanel(group));
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
  });
  return h("li", { dataset: { groupId: group.id } },
    h("div", { class: "group-head" },
      h("div", {},
        h("span", { class: "group-name", tabindex: "-1", text: group.name }),
        group.description && h("p", { class: "muted group-description", text: group.description })),
      h("div", { class: "button-row" },
        toggle,
        h("button", { type: "button", class: "button small", text: "Edit", "aria-label": `Edit group ${group.name}`, onClick: () => editGroup(group) }),
        h("button", { type: "button", class: "button small danger", text: "Delete", "aria-label": `Delete group ${group.name}`, onClick: () => deleteGroup(group) }))),
    panel);
}

function membersPanel(group) {
  const error = h("p", { class: "form-error", role: "alert", tabindex: "-1", hidden: true });
  const box = h("div", { class: "stack" });
  const setMember = async (user, present) => {
    clearErrors(box);
    try {
      await (present ? put : del)(`/groups/${group.id}/members/${user.id}`);
      group.members = present
        ? [...group.members, user].sort((a, b) => a.username.localeCompare(b.username))
        : group.members.filter((m) => m.id !== user.id);
      toast(`${user.display_name} ${present ? "added to" : "removed from"} ${group.name}.`);
      const item = $(`#groups [data-group-id="${group.id}"]`);
      const fresh = groupItem(group);
      item.replaceWith(fresh);
      fresh.querySelector("[aria-expanded]").click();
      fresh.querySelector(".group-members input").focus();
    } catch (failure) {
      showErrors(box, failure);
    }
  };
  fill(box,
    group.members.length
      ? h("ul", { class: "plain-list person-list" }, group.members.map((user) => h("li", {},
        personLabel(user),
        h("button", {
          type: "button", class: "button small danger", text: "Remove", "aria-label": `Remove ${user.display_name} from ${group.name}`,
          onClick: () => setMember(user, false),
        }))))
      : h("p", { class: "empty", text: "No members yet." }),
    personPicker({ label: `Add a member to ${group.name}`, onPick: (user) => setMember(user, true),
      exclude: (u) => group.members.some((m) => m.id === u.id) }),
    error);
  return box;
}

async function editGroup(group) {
  const updated = await openFormDialog({
    title: `Edit group ${group.name}`, fields: groupFields(group),
    onSubmit: (values) => patch(`/groups/${group.id}`, values),
  });
  if (!updated) return;
  Object.assign(group, { name: updated.name, description: updated.description });
  toast(`Group ${group.name} saved.`);
  refreshGroups(`[data-group-id="${group.id}"] .group-name`);
}

async function deleteGroup(group) {
  const done = await confirmAction({
    title: `Delete group ${group.name}?`,
    message: "Its members lose what the group gave them. A group that guards the location or a room cannot be deleted.",
    action: () => del(`/groups/${group.id}`),
  });
  if (!done) return;
  groups = groups.filter((g) => g.id !== group.id);
  toast(`Group ${group.name} deleted.`);
  refreshGroups("#groups-title");
}

// MARK: gate

/** The groups the location is limited to (empty: open); null when it cannot be read. */
async function loadGate() {
  try {
    gateGroupIds = (await get(`/locations/${pageId()}/gate`)).group_ids;
  } catch {
    gateGroupIds = null;
  }
}

function renderGate() {
  const form = $("#gate-form");
  const checked = (group) => gateGroupIds?.some((id) => sameId(id, group.id));
  fill(form,
    gateGroupIds === null && h("p", { class: "notice info", text: "The current setting could not be read; saving replaces it." }),
    groups.length
      ? h("fieldset", {},
        h("legend", { text: "Only members of these groups" }),
        h("div", { class: "stack gate-groups" }, groups.map((group) => h("label", { class: "check" },
          h("input", { type: "checkbox", name: "group_ids", value: group.id, checked: checked(group) }), group.name))))
      : h("p", { class: "muted", text: "Add a group first to limit who may use this location." }),
    h("p", { class: "gate-summary", role: "status", text: gateSummary() }),
    h("p", { class: "hint muted", text: "With no group checked, every active user may use the location. Managers always may." }),
    groups.length > 0 && formFooter("Save access"));
  form.onsubmit = (event) => {
    event.preventDefault();
    submitting(form, async () => {
      const ids = [...form.querySelectorAll("input[name=group_ids]:checked")].map((input) => input.value);
      gateGroupIds = (await put(`/locations/${place.id}/gate`, { group_ids: ids })).group_ids;
      renderGate();
      toast("Access saved.");
    });
  };
}

function gateSummary() {
  if (gateGroupIds === null) return "";
  const names = groups.filter((g) => gateGroupIds.some((id) => sameId(id, g.id))).map((g) => g.name);
  return names.length ? `Now: only members of ${names.join(", ")} (and managers).` : "Now: open to everyone.";
}

// MARK: floors and rooms

async function renderFloors(focus = null) {
  const [floors, rooms] = await Promise.all([get(`/locations/${place.id}/floors`), get(`/locations/${place.id}/rooms`)]);
  const box = $("#floors .floors-body");
  fill(box, floors.length
    ? h("ul", { class: "plain-list floor-list" }, floors.map((floor) => floorItem(floor, rooms.filter((r) => sameId(r.floor_id, floor.id)))))
    : h("p", { class: "empty", text: "No floors yet." }));
  $("#add-floor").onclick = () => floorChange(openFormDialog({
    title: `Add a floor to ${place.name}`, fields: floorFields(), submitLabel: "Add floor",
    onSubmit: (values) => post(`/locations/${place.id}/floors`, values),
  }), (f) => `${f.name} added.`);
  if (focus) box.querySelector(focus)?.focus();
}

function floorItem(floor, rooms) {
  return h("li", { dataset: { floorId: floor.id } },
    h("div", { class: "floor-head" },
      h("span", { class: "floor-name", tabindex: "-1" }, h("strong", { text: floor.name }), " ", h("span", { class: "muted", text: `Level ${floor.level}` })),
      h("div", { class: "button-row" },
        h("button", { type: "button", class: "button small", text: "Add room", "aria-label": `Add a room on ${floor.name}`,
          onClick: () => floorChange(openFormDialog({
            title: `Add a room on ${floor.name}`, fields: roomFields(), submitLabel: "Add room",
            onSubmit: (values) => post(`/floors/${floor.id}/rooms`, values),
          }), (r) => `${r.name} added.`, floor.id) }),
        h("button", { type: "button", class: "button small", text: "Edit", "aria-label": `Edit ${floor.name}`,
          onClick: () => floorChange(openFormDialog({
            title: `Edit ${floor.name}`, fields: floorFields(floor), onSubmit: (values) => patch(`/floors/${floor.id}`, values),
          }), (f) => `${f.name} saved.`) }),
        h("button", { type: "button", class: "button small danger", text: "Delete", "aria-label": `Delete ${floor.name}`,
          onClick: () => floorChange(confirmAction({
            title: `Delete ${floor.name}?`, message: "Only a floor without rooms can be deleted.", action: () => del(`/floors/${floor.id}`),
          }), () => `${floor.name} deleted.`) }))),
    rooms.length
      ? h("ul", { class: "room-links" }, rooms.map((room) => h("li", {},
        h("a", { href: `/admin/rooms/${room.id}`, text: room.name }),
        room.under_maintenance && h("span", { class: "badge warn", text: "Under maintenance" }))))
      : h("p", { class: "empty", text: "No rooms yet." }));
}

/** Waits for a floor or room dialog, then redraws the floors and focuses the floor concerned. */
async function floorChange(dialog, message, floorId = null) {
  const result = await dialog;
  if (!result) return;
  toast(message(result));
  const id = floorId ?? result.floor_id ?? result.id;
  await renderFloors(id ? `[data-floor-id="${id}"] .floor-name` : "#floors-title");
}
