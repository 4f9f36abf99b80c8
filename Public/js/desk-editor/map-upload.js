// Replacing the room's floor map: checked here for type and size first, then sniffed again by the server.
import { put } from "../lib/api.js";
import { $ } from "../lib/dom.js";
import { showMessage } from "../lib/errors.js";

const maximumBytes = 5 * 1024 * 1024;
const imageTypes = new Set(["image/png", "image/jpeg", "image/webp", "image/svg+xml"]);
const imageExtensions = /\.(png|jpe?g|webp|svg)$/i;

/** Why a chosen file cannot be a floor map, or null when it may be sent. */
export function mapFileProblem(file) {
  const typeKnown = imageTypes.has(file.type) || (!file.type && imageExtensions.test(file.name));
  if (!typeKnown) return `“${file.name}” is not a PNG, JPEG, WebP or SVG image.`;
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > maximumBytes) {
    return `“${file.name}” is ${(file.size / 1024 / 1024).toFixed(1)} MB; a floor map may be at most 5 MB.`;
  }
  return null;
}

/** The server's reason in words about the file ("… was refused: it must be a PNG, JPEG, …"). */
function refusal(file, failure) {
  if (failure.status === 413) return `“${file.name}” is larger than the server accepts (5 MB).`;
  if (!failure.fields?.length) return failure;
  return `“${file.name}” was refused: it must be ${failure.fields.map((f) => f.message).join("; ")}.`;
}

/** The map's address; `version` makes the browser fetch a replaced map instead of its cached copy. */
export function mapUrl(roomId, version) {
  return `/api/v1/rooms/${roomId}/map${version ? `?v=${version}` : ""}`;
}

/**
 * Shows the room's map in the editor (or the note that there is none) and wires the file input. `onChange` runs
 * after a successful upload.
 */
export function setUpMap(room, { onChange }) {
  const image = $("#editor-map");
  const missing = $("#editor-no-map");
  const editor = $("#desk-editor");
  const input = $("#map-upload");
  const error = $("#map-upload-error");

  image.alt = `Floor map of ${room.name}`;
  // Desks are placed relative to the map's box, whose size is known only once the image has loaded (or failed).
  image.addEventListener("load", () => {
    image.hidden = false;
    missing.hidden = true;
    editor.classList.remove("no-map", "is-loading");
  });
  image.addEventListener("error", () => {
    image.hidden = true;
    missing.hidden = false;
    editor.classList.add("no-map");
    editor.classList.remove("is-loading");
  });
  image.src = mapUrl(room.id);

  input.addEventListener("change", async () => {
    const file = input.files[0];
    showMessage(error, null);
    input.removeAttribute("aria-invalid");
    if (!file) return;
    const problem = mapFileProblem(file);
    if (problem) {
      refuse(problem);
      return;
    }
    input.disabled = true;
    input.setAttribute("aria-busy", "true");
    try {
      await put(`/rooms/${room.id}/map`, file);
      image.src = mapUrl(room.id, Date.now());
      input.value = "";
      onChange(file);
    } catch (failure) {
      refuse(refusal(file, failure));
    } finally {
      input.disabled = false;
      input.removeAttribute("aria-busy");
    }
  });

  function refuse(problem) {
    showMessage(error, problem);
    input.setAttribute("aria-invalid", "true");
    input.value = "";
    input.focus();
  }
}
