// The live-update socket: one per page, shared by its parts. Topics are re-subscribed after every reconnect, and
// `onReconnect` callbacks let a page reload what it may have missed while the socket was down.

const listeners = new Map(); // topic -> Set of handlers
const reconnectHandlers = new Set();
let socket = null;
let attempt = 0;
let everOpen = false;
let retryTimer = null;
let heartbeat = null;

function url() {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/ws`;
}

function setStatus(state) {
  document.documentElement.dataset.live = state;
}

function send(message) {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function connect() {
  clearTimeout(retryTimer);
  setStatus("connecting");
  socket = new WebSocket(url());
  socket.addEventListener("open", () => {
    const reconnected = everOpen;
    everOpen = true;
    attempt = 0;
    setStatus("open");
    for (const topic of listeners.keys()) send({ type: "subscribe", topic });
    clearInterval(heartbeat);
    heartbeat = setInterval(() => send({ type: "ping" }), 25000);
    if (reconnected) for (const handler of reconnectHandlers) handler();
  });
  socket.addEventListener("message", (event) => {
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    const targets = message.topic ? listeners.get(message.topic.toLowerCase()) : null;
    for (const handler of targets ?? []) handler(message);
  });
  socket.addEventListener("close", () => {
    clearInterval(heartbeat);
    setStatus("closed");
    socket = null;
    if (listeners.size === 0) return;
    // Back off up to 30 s; the jitter keeps many tabs from reconnecting in step after a restart.
    const delay = Math.min(30000, 500 * 2 ** attempt++) * (0.75 + Math.random() / 2);
    retryTimer = setTimeout(connect, delay);
  });
}

/**
 * Calls `handler(message)` for every message on `topic` (`room:<id>`, `location:<id>` or `me`), including its
 * `subscribed` and `error` answers. Returns a function that unsubscribes.
 */
export function subscribe(name, handler) {
  // The server names topics with lower-case ids; the API writes ids in upper case.
  const topic = name.toLowerCase();
  let set = listeners.get(topic);
  if (!set) {
    set = new Set();
    listeners.set(topic, set);
    if (socket?.readyState === WebSocket.OPEN) send({ type: "subscribe", topic });
  }
  set.add(handler);
  if (!socket) connect();
  return () => {
    set.delete(handler);
    if (set.size === 0) {
      listeners.delete(topic);
      send({ type: "unsubscribe", topic });
    }
  };
}

/** Runs `handler` after the socket comes back from a drop, when events may have been missed. */
export function onReconnect(handler) {
  reconnectHandlers.add(handler);
  return () => reconnectHandlers.delete(handler);
}


addEventListener("online", () => { if (!socket && listeners.size) connect(); });
