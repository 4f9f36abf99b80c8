// The desk layout editor: desk markers over the floor map, moved by dragging (mouse, pen or touch) or with the
// arrow keys, each move saved on its own with `PATCH /desks/{id}`.
import { patch } from "../lib/api.js";
import { errorText, h } from "../lib/dom.js";
import { deskTitle } from "./desk-names.js";
import { arrowStep, percent, position, positionAt, readablePercent, samePosition } from "./geometry.js";

/** Keyboard moves are saved once the keys have rested this long, so holding an arrow sends one request. */
const keyboardSaveDelay = 600;
/** A press that travels less than this many pixels is a click (select), not a drag. */
const dragThreshold = 4;

/**
 * Creates the editor inside `root` (the map box; desk positions are relative to it). `status` is a live region
 * for save states. `onSelect(desk, {focusForm})` runs when a desk is chosen or unselected (null).
 */
export function createDeskEditor({ root, status, onSelect }) {
  const desks = new Map();    // id -> desk as the server last confirmed it
  const shown = new Map();    // id -> {x, y} on screen, ahead of the server while a move is being saved
  const markers = new Map();  // id -> marker element
  const saving = new Map();   // id -> promise of the save in flight, so saves of one desk go out in order
  const keyTimers = new Map();
  let selectedId = null;
  let drag = null;
  let placement = null;

  function setStatus(text, kind = "info") {
    status.textContent = text;
    status.classList.toggle("is-error", kind === "error");
  }

  function describe(desk, at) {
    const notes = [desk.is_active ? null : "inactive", desk.permanent_user_id ? "has a permanent owner" : null].filter(Boolean);
    return [deskTitle(desk.name), ...notes, `${readablePercent(at.x)} across, ${readablePercent(at.y)} down`].join(", ");
  }

  function paint(id) {
    const desk = desks.get(id);
    const at = shown.get(id);
    const marker = markers.get(id);
    marker.style.left = percent(at.x);
    marker.style.top = percent(at.y);
    marker.dataset.orientation = desk.orientation;
    marker.classList.toggle("is-inactive", !desk.is_active);
    marker.querySelector(".desk-name").textContent = desk.name;
    marker.querySelector(".desk-mark").hidden = !desk.permanent_user_id;
    marker.setAttribute("aria-label", describe(desk, at));
  }

  function createMarker(desk) {
    const marker = h("button", { type: "button", class: "editor-desk", dataset: { deskId: desk.id }, "aria-describedby": "editor-help" },
      h("span", { class: "desk-name" }),
      h("span", { class: "desk-mark", "aria-hidden": "true", text: "P" }));
    markers.set(desk.id, marker);
    return marker;
  }

  /** Puts a marker among the others in name order, which is also the Tab order. */
  function insertInOrder(marker, name) {
    const next = [...markers.values()].find((other) => other !== marker && other.isConnected
      && other.querySelector(".desk-name").textContent.localeCompare(name, undefined, { numeric: true }) > 0);
    root.insertBefore(marker, next ?? null);
  }

  /** Shows the room's desks (once, when the page starts). */
  function setDesks(list) {
    const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    for (const desk of sorted) {
      desks.set(desk.id, desk);
      shown.set(desk.id, { x: desk.x, y: desk.y });
      root.append(createMarker(desk));
      paint(desk.id);
    }
  }

  /** Takes a desk as the server returned it (new or changed). Its position wins unless a move is still pending. */
  function upsert(desk) {
    const isNew = !desks.has(desk.id);
    desks.set(desk.id, desk);
    if (isNew) {
      shown.set(desk.id, { x: desk.x, y: desk.y });
      insertInOrder(createMarker(desk), desk.name);
    } else if (!saving.has(desk.id) && !keyTimers.has(desk.id) && drag?.id !== desk.id) {
      shown.set(desk.id, { x: desk.x, y: desk.y });
    }
    paint(desk.id);
  }

  function remove(id) {
    markers.get(id)?.remove();
    desks.delete(id); shown.delete(id); markers.delete(id);
    clearTimeout(keyTimers.get(id)); keyTimers.delete(id);
    if (selectedId === id) select(null);
  }

  function select(id, { focusForm = false } = {}) {
    if (selectedId && markers.has(selectedId)) {
      markers.get(selectedId).classList.remove("is-selected");
      markers.get(selectedId).removeAttribute("aria-current");
    }
    selectedId = id;
    const marker = markers.get(id);
    if (marker) {
      marker.classList.add("is-selected");
      marker.setAttribute("aria-current", "true");
    }
    onSelect(id ? desks.get(id) : null, { focusForm });
  }

  function show(id, at) {
    shown.set(id, at);
    paint(id);
  }

  /** Saves where a desk is shown; queued behind an earlier save of the same desk. */
  function save(id) {
    const previous = saving.get(id) ?? Promise.resolve();
    const next = previous.then(() => sendPosition(id));
    saving.set(id, next);
    next.finally(() => { if (saving.get(id) === next) saving.delete(id); });
    return next;
  }

  async function sendPosition(id) {
    const desk = desks.get(id);
    const target = shown.get(id);
    if (!desk || !target || samePosition(target, desk)) return;
    const marker = markers.get(id);
    marker.classList.add("is-saving");
    marker.classList.remove("is-error");
    setStatus(`Saving ${desk.name}…`);
    try {
      const updated = await patch(`/desks/${id}`, target);
      desks.set(id, updated);
      // The desk may have moved on while this save was under way; that newer place stays on screen.
      if (samePosition(shown.get(id), target)) shown.set(id, { x: updated.x, y: updated.y });
      if (markers.has(id)) paint(id);
      setStatus("Saved");
    } catch (error) {
      if (!markers.has(id)) return;
      const confirmed = desks.get(id);
      shown.set(id, { x: confirmed.x, y: confirmed.y });
      paint(id);
      marker.classList.add("is-error");
      setStatus(`${desk.name} could not be moved and is back in its place: ${errorText(error)}`, "error");
    } finally {
      marker.classList.remove("is-saving");
    }
  }

  /** Shows a desk at a new place and saves it at once (drops, clicks in placement mode). */
  function moveTo(id, at) {
    show(id, at);
    return save(id);
  }

  // Dragging. The pointer is captured so the drag continues when it leaves the marker or the map.
  root.addEventListener("pointerdown", (event) => {
    const marker = event.target.closest(".editor-desk");
    if (!marker || placement || drag || (event.pointerType === "mouse" && event.button !== 0)) return;
    const rect = root.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return;
    const id = marker.dataset.deskId;
    drag = { id, marker, pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, from: { ...shown.get(id) }, rect, moved: false };
    marker.setPointerCapture(event.pointerId);
  });

  root.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.pointerId) return;
    const dx = event.clientX - drag.startX, dy = event.clientY - drag.startY;
    if (!drag.moved && Math.hypot(dx, dy) < dragThreshold) return;
    if (!drag.moved) {
      drag.moved = true;
      drag.marker.classList.add("is-dragging");
      setStatus(`Moving ${desks.get(drag.id).name}…`);
    }
    show(drag.id, position(drag.from.x + dx / drag.rect.width, drag.from.y + dy / drag.rect.height));
  });

  function endDrag(event, commit) {
    if (!drag || (event && event.pointerId !== drag.pointerId)) return;
    const { id, marker, moved, from, pointerId } = drag;
    drag = null;
    marker.classList.remove("is-dragging");
    if (marker.hasPointerCapture(pointerId)) marker.releasePointerCapture(pointerId);
    if (!moved) return;
    if (commit) {
      save(id);
    } else {
      show(id, from);
      setStatus(`Move of ${desks.get(id).name} cancelled.`);
    }
  }

  root.addEventListener("pointerup", (event) => endDrag(event, true));
  root.addEventListener("pointercancel", (event) => endDrag(event, false));

  // A click selects (also the one that ends a drag); Enter selects and goes to the properties form.
  root.addEventListener("click", (event) => {
    const marker = event.target.closest(".editor-desk");
    // In placement mode markers let clicks through to the map; a click still on one came from the keyboard.
    if (placement && !marker) {
      const pick = placement;
      stopPlacement();
      pick.onPlace(positionAt(event, root.getBoundingClientRect()));
      return;
    }
    if (marker) select(marker.dataset.deskId);
  });

  root.addEventListener("keydown", (event) => {
    const marker = event.target.closest(".editor-desk");
    if (!marker) return;
    const id = marker.dataset.deskId;
    if (event.key === "Escape" && drag) {
      endDrag(null, false);
      return;
    }
    if (event.key === "Enter") {
      event.preventDefault();
      select(id, { focusForm: true });
      return;
    }
    const step = arrowStep(event);
    if (!step || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const at = shown.get(id);
    show(id, position(at.x + step.dx, at.y + step.dy));
    if (selectedId !== id) select(id);
    clearTimeout(keyTimers.get(id));
    keyTimers.set(id, setTimeout(() => { keyTimers.delete(id); save(id); }, keyboardSaveDelay));
  });

  // Placement mode: the next click on the map chooses a spot (for a new desk, or to move the selected one).
  const bar = document.getElementById("placement-bar");
  const barText = document.getElementById("placement-text");

  function startPlacement(text, onPlace) {
    placement = { onPlace, trigger: document.activeElement };
    barText.textContent = text;
    bar.hidden = false;
    root.classList.add("is-placing");
    document.getElementById("placement-centre").focus();
  }

  function stopPlacement({ restoreFocus = false } = {}) {
    if (!placement) return;
    const { trigger } = placement;
    placement = null;
    bar.hidden = true;
    root.classList.remove("is-placing");
    if (restoreFocus) trigger?.focus?.();
  }

  document.getElementById("placement-centre").addEventListener("click", () => {
    const pick = placement;
    stopPlacement();
    pick?.onPlace(position(0.5, 0.5));
  });
  document.getElementById("placement-cancel").addEventListener("click", () => stopPlacement({ restoreFocus: true }));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && placement) stopPlacement({ restoreFocus: true });
  });

  return {
    setDesks, upsert, remove, select, moveTo, setStatus, startPlacement,
    names: () => [...desks.values()].map((desk) => desk.name),
    focus: (id) => markers.get(id)?.focus(),
  };
}
