// The floor plan with one button per desk, placed at the desk's position as fractions of the image, so markers stay
// on their desks at any width. Markers are created once and re-coloured in place: focus survives live updates.
import { h, fill } from "../lib/dom.js";
import { debounce } from "../lib/timing.js";

const zoomLevels = [1, 1.5, 2, 3];

/**
 * Renders the plan of `room` into `canvas`, with zoom buttons. `onOpen(deskId, marker)` runs when a marker is
 * activated.
 */
export function createDeskMap({ canvas, zoomIn, zoomOut, zoomLabel }, room, onOpen) {
  const markers = new Map();
  let zoom = 0;

  const image = h("img", { class: "map-image", src: `/api/v1/rooms/${room.id}/map`, alt: `Floor plan of ${room.name}`, draggable: "false" });
  // Without an uploaded plan the server answers 404: a neutral grid stands in for it.
  image.addEventListener("error", () => { image.remove(); canvas.classList.add("no-map"); fitWidth(); });
  image.addEventListener("load", fitWidth);
  fill(canvas, image);
  addEventListener("resize", debounce(fitWidth, 150));

  /**
   * The plan is as wide as its card unless markers would cover each other: then it gets the least width at which
   * no two overlap, and the card scrolls sideways.
   */
  function fitWidth() {
    const placed = [...markers.values()];
    if (placed.length < 2) return;
    const aspect = image.naturalWidth ? image.naturalHeight / image.naturalWidth : 0.7; // the grid's 10:7
    const width = Math.max(...placed.map((m) => m.element.offsetWidth)) + 4;
    const height = Math.max(...placed.map((m) => m.element.offsetHeight)) + 2;
    let needed = 0;
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++) {
        const dx = Math.abs(placed[i].desk.x - placed[j].desk.x), dy = Math.abs(placed[i].desk.y - placed[j].desk.y);
        const apart = Math.min(dx ? width / dx : Infinity, dy ? height / (dy * aspect) : Infinity);
        // Desks placed on the same spot cannot be pulled apart by any width.
        if (Number.isFinite(apart)) needed = Math.max(needed, apart);
      }
    }
    canvas.style.minWidth = needed ? `${Math.ceil(Math.min(needed, 3000))}px` : "";
  }

  function setZoom(index) {
    zoom = Math.max(0, Math.min(zoomLevels.length - 1, index));
    canvas.style.width = `${zoomLevels[zoom] * 100}%`;
    zoomLabel.textContent = `${zoomLevels[zoom] * 100}%`;
    zoomOut.disabled = zoom === 0;
    zoomIn.disabled = zoom === zoomLevels.length - 1;
  }
  zoomIn.addEventListener("click", () => setZoom(zoom + 1));
  zoomOut.addEventListener("click", () => setZoom(zoom - 1));
  setZoom(0);

  /** Places a marker per desk; earlier markers are dropped. */
  function setDesks(desks) {
    for (const marker of markers.values()) marker.remove();
    markers.clear();
    for (const desk of desks) {
      const marker = h("button", {
        type: "button", class: "desk-marker", dataset: { deskId: desk.id, state: "free" },
        onClick: () => onOpen(desk.id, marker), onKeydown: (event) => moveFocus(event, desk),
      }, h("span", { class: "desk-name", text: desk.name }));
      marker.style.left = `${desk.x * 100}%`;
      marker.style.top = `${desk.y * 100}%`;
      markers.set(desk.id, { element: marker, desk });
      canvas.append(marker);
    }
    fitWidth();
  }

  /** Shows a desk's state: colour class, `data-state`, words in the label and tooltip. */
  function show(deskId, { state, free }, label) {
    const marker = markers.get(deskId)?.element;
    if (!marker) return;
    marker.className = `desk-marker state-${state}`;
    marker.dataset.state = state;
    marker.toggleAttribute("data-partly", free.length > 0);
    marker.setAttribute("aria-label", label);
    marker.title = label;
  }

  /** Arrow keys move to the nearest desk in that direction. */
  function moveFocus(event, from) {
    const direction = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[event.key];
    if (!direction) return;
    let best = null, bestScore = Infinity;
    for (const { element, desk } of markers.values()) {
      const dx = desk.x - from.x, dy = desk.y - from.y;
      const along = dx * direction[0] + dy * direction[1];
      if (along <= 0.001) continue;
      const across = Math.abs(dx * direction[1]) + Math.abs(dy * direction[0]);
      const score = along + 2 * across;
      if (score < bestScore) { best = element; bestScore = score; }
    }
    if (best) {
      event.preventDefault();
      best.focus();
      best.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }

  return {
    setDesks,
    show,
    marker: (deskId) => markers.get(deskId)?.element ?? null,
  };
}
