// Admin page of one room: its desk layout over the floor map, the map itself, details, maintenance, access and
// managers. Room managers get the layout, map, details and maintenance; location managers also access and managers.
import { get, post } from "../../lib/api.js";
import { $, errorText, fill, h, pageId } from "../../lib/dom.js";
import { runPage } from "../../lib/session.js";
import { createDeskEditor } from "../../desk-editor/editor.js";
import { createDeskPanel } from "../../desk-editor/desk-panel.js";
import { suggestDeskName } from "../../desk-editor/desk-names.js";
import { setUpMap } from "../../desk-editor/map-upload.js";
import { setUpMaintenance, setUpRoomForm } from "../../desk-editor/room-settings.js";
import { setUpGate, setUpManagers } from "../../desk-editor/room-access.js";
import { managesLocation, managesRoom } from "../../admin/common.js";

/** Shows why the editor is not there, instead of the editor. */
function refuse(text, { roomVisible }) {
  const message = $("#room-admin-message");
  fill(message, text, " ",
    roomVisible && h("a", { href: `/rooms/${pageId()}`, text: "Open the room page" }), roomVisible && " · ",
    h("a", { href: "/admin", text: "Back to admin" }));
  message.hidden = false;
  $("#room-admin").hidden = true;
  $("#room-view-link").hidden = !roomVisible;
}

const isRefusal = (error) => error?.status === 403 || error?.status === 404;

function showHeading(room, location, floor) {
  document.title = `${room.name} · Room layout · DeskPilot`;
  fill($("#room-title"), room.name, room.under_maintenance && " ",
    room.under_maintenance && h("span", { class: "badge warn", text: "Under maintenance" }));
  fill($("#room-breadcrumbs"),
    h("a", { href: "/admin", text: "Admin" }), " › ",
    h("a", { href: `/admin/locations/${room.location_id}`, text: location.name }), " › ",
    h("span", { text: floor.name }), " › ",
    h("span", { "aria-current": "page", text: room.name }));
}

async function addDesk(editor, room, at) {
  const name = suggestDeskName(editor.names());
  editor.setStatus(`Adding ${name}…`);
  try {
    const desk = await post(`/rooms/${room.id}/desks`, { name, x: at.x, y: at.y });
    editor.upsert(desk);
    editor.select(desk.id, { focusForm: true });
    editor.setStatus(`${desk.name} added. Rename it or set its tags here.`);
  } catch (error) {
    editor.setStatus(`The desk could not be added: ${errorText(error)}`, "error");
  }
}

/** A part of the page that failed to load says so in place, without taking the rest of the page down. */
function failedPart(card, error) {
  card.hidden = false;
  card.append(h("p", { class: "page-error", role: "alert", text: `This part could not load: ${errorText(error)}` }));
}

runPage(async ({ me }) => {
  let room;
  try {
    room = await get(`/rooms/${pageId()}`);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    refuse("This room does not exist, or you may not see it.", { roomVisible: false });
    return;
  }
  if (!managesRoom(me, room)) {
    refuse(`You cannot edit ${room.name}: only its room managers, the managers of its location and administrators can.`,
      { roomVisible: true });
    return;
  }
  let desks, location, floor;
  try {
    [desks, location, floor] = await Promise.all([
      get(`/rooms/${room.id}/desks`), get(`/locations/${room.location_id}`), get(`/floors/${room.floor_id}`)]);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    refuse(`You cannot edit ${room.name}: ${errorText(error)}`, { roomVisible: true });
    return;
  }

  const onRoom = (updated) => {
    room = updated;
    showHeading(room, location, floor);
  };
  showHeading(room, location, floor);
  $("#room-admin").hidden = false;

  let panel;
  const editor = createDeskEditor({
    root: $("#desk-editor"), status: $("#editor-status"), onSelect: (desk, options) => panel.show(desk, options),
  });
  panel = createDeskPanel(editor);
  editor.setDesks(desks);
  setUpMap(room, { onChange: () => editor.setStatus("New floor map saved.") });
  $("#add-desk").addEventListener("click", () => {
    editor.startPlacement("Click on the map where the new desk goes.", (at) => addDesk(editor, room, at));
  });

  setUpRoomForm(room, { onRoom });
  setUpMaintenance(room, { locationZone: location.timezone, onRoom });
  if (managesLocation(me, room.location_id)) {
    setUpGate(room, location).catch((error) => failedPart($("#room-gate-card"), error));
    setUpManagers(room).catch((error) => failedPart($("#room-managers-card"), error));
  }
});
