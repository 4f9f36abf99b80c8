// Desk positions are fractions (0…1) of the floor-map image, measured from its top-left corner.

/** Keeps a fraction on the map. */
export function clampFraction(value) {
  return Math.min(1, Math.max(0, value));
}

/** Four decimals: a tenth of a pixel on a 1000-pixel map, without float noise such as 0.30000000000000004. */
export function roundFraction(value) {
  return Math.round(clampFraction(value) * 10000) / 10000;
}

/** A position on the map, clamped and rounded as the server stores it. */
export function position(x, y) {
  return { x: roundFraction(x), y: roundFraction(y) };
}

/** The map position under a pointer event, for a map whose box is `rect`. */
export function positionAt(event, rect) {
  return position((event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height);
}

/** A fraction as a CSS percentage, e.g. 0.1825 → "18.25%". */
export function percent(fraction) {
  return `${+(fraction * 100).toFixed(2)}%`;
}

/** A fraction as a whole percentage for people, e.g. 0.1825 → "18 %". */
export function readablePercent(fraction) {
  return `${Math.round(fraction * 100)} %`;
}

const arrowSteps = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** How far an arrow key moves a desk: 1 % of the map, 5 % with Shift; null for other keys. */
export function arrowStep(event) {
  const step = arrowSteps[event.key];
  if (!step) return null;
  const size = event.shiftKey ? 0.05 : 0.01;
  return { dx: step[0] * size, dy: step[1] * size };
}

/** The same point, also when float arithmetic differs in the last digits. */
export function samePosition(a, b) {
  return roundFraction(a.x) === roundFraction(b.x) && roundFraction(a.y) === roundFraction(b.y);
}
