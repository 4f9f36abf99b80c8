// Admin: the people with an account. Superusers search them page by page, create accounts and edit them.
import { get, post, patch, query } from "../../lib/api.js";
import { $, h, fill, toast, errorText } from "../../lib/dom.js";
import { formatDay, localDate, zoneFor } from "../../lib/format.js";
import { runPage } from "../../lib/session.js";
import { debounce } from "../../lib/timing.js";
import { renderAdminNav, showPageNotice, isSuperuser, openFormDialog } from "../../admin/common.js";

const pageSize = 25;
let me = null;
/** The search shown, and the cursors of the pages before and at the current one (the first page has none). */
let search = "";
let cursors = [null];
let nextCursor = null;

runPage(async (session) => {
  me = session.me;
  renderAdminNav(me, "users");
  if (!isSuperuser(me)) {
    showPageNotice("Only administrators manage people.");
    return;
  }
  const addButton = $("#add-user");
  addButton.hidden = false;
  addButton.addEventListener("click", createUser);
  wireSearch();
  $("#users-prev").addEventListener("click", () => { cursors.pop(); loadPage(); });
  $("#users-next").addEventListener("click", () => { cursors.push(nextCursor); loadPage(); });
  await loadPage();
  $("#admin-content").removeAttribute("aria-busy");
});

function wireSearch() {
  const form = $("#user-search");
  const input = $("#user-q");
  const start = () => {
    if (input.value.trim() === search) return;
    search = input.value.trim();
    cursors = [null];
    loadPage();
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); start(); });
  input.addEventListener("input", debounce(start, 300));
}

async function loadPage(focusUserId = null) {
  const status = $("#users-status");
  const cursor = cursors.at(-1);
  let page;
  try {
    page = await get(`/users${query({ q: search, limit: pageSize, cursor })}`);
  } catch (error) {
    status.textContent = `People could not load: ${errorText(error)}`;
    return;
  }
  nextCursor = page.next_cursor;
  renderRows(page.items);
  const number = cursors.length;
  status.textContent = page.items.length
    ? `Page ${number}: ${page.items.length} ${page.items.length === 1 ? "person" : "people"}${search ? ` matching “${search}”` : ""}.`
    : search ? `No one matches “${search}”.` : "No people yet.";
  $("#users-page").textContent = `Page ${number}`;
  $("#users-prev").disabled = number === 1;
  $("#users-next").disabled = !nextCursor;
  if (focusUserId) $(`#users-table tr[data-id="${CSS.escape(focusUserId)}"] button`)?.focus();
}

function renderRows(users) {
  const zone = zoneFor(null);
  fill($("#users-table tbody"), users.map((user) => h("tr", { dataset: { id: user.id } },
    h("td", { dataset: { label: "Name" } },
      h("span", { class: "person-name", text: user.display_name }), h("br"), h("span", { class: "muted", text: user.username }),
      user.id === me.user.id && h("span", { class: "badge", text: "You" })),
    h("td", { dataset: { label: "E-mail" }, class: "user-email", text: user.email ?? "" }),
    h("td", { dataset: { label: "Role" } },
      user.is_superuser ? h("span", { class: "badge ok", text: "Administrator" }) : h("span", { class: "muted", text: "Member" })),
    h("td", { dataset: { label: "Status" } },
      user.is_active ? h("span", { text: "Active" }) : h("span", { class: "badge danger", text: "Deactivated" })),
    h("td", { dataset: { label: "Since" }, text: formatDay(localDate(user.created_at, zone)) }),
    h("td", { class: "row-actions" }, h("button", {
      type: "button", class: "button small", text: "Edit", "aria-label": `Edit ${user.display_name}`, onClick: () => editUser(user),
    })))));
}

async function createUser() {
  const user = await openFormDialog({
    title: "Add a person", formId: "user-form", submitLabel: "Add person",
    fields: [
      { name: "username", label: "Username", required: true, autocomplete: "off", hint: "3–64 characters: letters, digits, dot, dash or underscore." },
      { name: "display_name", label: "Display name", required: true },
      { name: "email", label: "E-mail", type: "email", required: true },
      { name: "password", label: "Password", type: "password", required: true, autocomplete: "new-password",
        hint: "They can change it in their settings." },
      { name: "is_superuser", label: "Administrator (may do everything)", type: "checkbox" },
    ],
    onSubmit: (values) => post("/users", values),
  });
  if (!user) return;
  toast(`${user.display_name} can now sign in as ${user.username}.`);
  await loadPage(user.id);
}

async function editUser(user) {
  const self = user.id === me.user.id;
  const updated = await openFormDialog({
    title: `Edit ${user.display_name} (${user.username})`, formId: "user-form",
    fields: [
      { name: "display_name", label: "Display name", value: user.display_name, required: true },
      { name: "email", label: "E-mail", type: "email", value: user.email },
      { name: "password", label: "New password", type: "password", autocomplete: "new-password",
        hint: "Leave empty to keep the current one. A new password signs them out everywhere." },
      { name: "is_active", label: "Active (may sign in)", type: "checkbox", value: user.is_active,
        hint: self ? "You cannot deactivate yourself." : "Deactivating signs them out everywhere; their bookings stay." },
      { name: "is_superuser", label: "Administrator (may do everything)", type: "checkbox", value: user.is_superuser },
    ],
    onSubmit: (values) => {
      const changes = changedValues(user, values);
      return Object.keys(changes).length ? patch(`/users/${user.id}`, changes) : user;
    },
  });
  if (!updated) return;
  toast(`${updated.display_name} saved.`);
  await loadPage(user.id);
}

/** Only what changed, so the audit log records what was really done. */
function changedValues(user, values) {
  const changes = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === "password" || value !== user[key]) changes[key] = value;
  }
  return changes;
}
