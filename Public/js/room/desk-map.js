// The floor plan with one button per desk, placed at the desk's position as fractions of the image, so markers stay
// on their desks at any width. Markers are created once and re-coloured in place: focus survives live updates.
import { h, fill } from "../lib/dom.js";
import { debounce } from "../lib/timing.js";

/** The steps of the zoom buttons; pinching and ctrl+wheel zoom smoothly between the first and the last. */
const zoomLevels = [1, 1.5, 2, 3, 4];
const minZoom = zoomLevels[0], maxZoom = zoomLevels[zoomLevels.length - 1];

/**
 * Renders the plan of `room` into `canvas` (inside its scrolling box), with zoom: the buttons, `+` and `-` while
 * the plan has focus, ctrl+wheel (a trackpad's pinch) and a two-finger pinch, each keeping the point under the
 * fingers or pointer in place. `onOpen(deskId, marker)` runs when a marker is activated.
 */
export function createDeskMap({ canvas, zoomIn, zoomOut, zoomLabel }, room, onOpen) {
  const markers = new Map();
  const scroller = canvas.parentElement;
  let zoom = minZoom;

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

  /**
   * Zooms to `level` (clamped), keeping the plan's point under (`clientX`, `clientY`) where it is; without a point,
   * the middle of the visible part stays.
   */
  function setZoom(level, clientX, clientY) {
    const box = scroller.getBoundingClientRect();
    const x = (clientX ?? box.left + box.width / 2) - box.left, y = (clientY ?? box.top + box.height / 2) - box.top;
    const before = { width: canvas.offsetWidth || 1, height: canvas.offsetHeight || 1 };
    const fx = (scroller.scrollLeft + x) / before.width, fy = (scroller.scrollTop + y) / before.height;
    zoom = Math.min(maxZoom, Math.max(minZoom, level));
    canvas.style.width = `${Math.round(zoom * 100)}%`;
    scroller.scrollLeft = fx * canvas.offsetWidth - x;
    scroller.scrollTop = fy * canvas.offsetHeight - y;
    zoomLabel.textContent = `${Math.round(zoom * 100)}%`;
    zoomOut.disabled = zoom <= minZoom + 0.001;
    zoomIn.disabled = zoom >= maxZoom - 0.001;
  }
  const stepUp = () => zoomLevels.find((level) => level > zoom + 0.01) ?? maxZoom;
  const stepDown = () => [...zoomLevels].reverse().find((level) => level < zoom - 0.01) ?? minZoom;
  zoomIn.addEventListener("click", () => setZoom(stepUp()));
  zoomOut.addEventListener("click", () => setZoom(stepDown()));
  canvas.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "+" || event.key === "=") setZoom(stepUp());
    else if (event.key === "-" || event.key === "_") setZoom(stepDown());
    else return;
    event.preventDefault();
  });
  // A trackpad's pinch arrives as ctrl+wheel; the page itself does not zoom then.
  scroller.addEventListener("wheel", (event) => {
    if (!event.ctrlKey) return;
    event.preventDefault();
    setZoom(zoom * Math.exp(-event.deltaY * 0.01), event.clientX, event.clientY);
  }, { passive: false });
  trackPinch(scroller, (factor, clientX, clientY) => setZoom(zoom * factor, clientX, clientY));
  setZoom(minZoom);

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
    setZoom,
    zoom: () => zoom,
    show,
    marker: (deskId) => markers.get(deskId)?.element ?? null,
  };
}

/**
 * Calls `onPinch(factor, clientX, clientY)` as two fingers on `element` move apart (factor > 1) or together; one
 * finger still scrolls the box (CSS `touch-action: pan-x pan-y` leaves pinching to this).
 */
function trackPinch(element, onPinch) {
  const touches = new Map();
  let distance = 0;
  const spread = () => {
    const [a, b] = [...touches.values()];
    return { distance: Math.hypot(a.x - b.x, a.y - b.y), x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  };
  element.addEventListener("pointerdown", (event) => {
    if (event.pointerType !== "touch") return;
    touches.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (touches.size === 2) distance = spread().distance;
  });
  element.addEventListener("pointermove", (event) => {
    if (!touches.has(event.pointerId)) return;
    touches.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (touches.size !== 2 || distance === 0) return;
    const now = spread();
    if (now.distance > 0) onPinch(now.distance / distance, now.x, now.y);
    distance = now.distance;
  });
  const lift = (event) => {
    touches.delete(event.pointerId);
    distance = 0;
  };
  for (const type of ["pointerup", "pointercancel", "pointerleave"]) element.addEventListener(type, lift);
}
