// Waiting for things to settle: typing, resizing, and live events that come in bursts.

/**
 * `work` wrapped so that it runs once `ms` after the last of a quick series of calls, with that call's arguments.
 * `cancel()` drops a run that is still waiting.
 */
export function debounce(work, ms) {
  let timer = null;
  const later = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => work(...args), ms);
  };
  later.cancel = () => clearTimeout(timer);
  return later;
}
