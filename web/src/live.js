// Live events over the WebSocket API: a single-use ticket (POST /live/tickets) per connection, never the token
// in the URL; reconnects with back-off; events carry ids only, so listeners re-fetch over HTTP.
import { configuration, liveTicket } from "./api.js";

const listeners = new Set();
let socket = null;
let wanted = false;
let attempts = 0;
let timer = null;
let pinger = null;

export function onLive(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit(event) {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (error) {
      console.warn("live listener failed", error);
    }
  }
}

async function open() {
  if (!wanted) return;
  let ticket;
  try {
    ticket = await liveTicket();
  } catch {
    return retry();
  }
  if (!wanted) return;
  const url = new URL(configuration().wsUrl);
  url.searchParams.set("ticket", ticket);
  socket = new WebSocket(url);
  socket.onopen = () => {
    attempts = 0;
    emit({ type: "live.open" });
    pinger = setInterval(() => socket?.readyState === 1 && socket.send(JSON.stringify({ action: "ping" })), 240_000);
  };
  socket.onmessage = (message) => {
    try {
      const event = JSON.parse(message.data);
      if (event.type !== "pong") emit(event);
    } catch {
      /* not an event */
    }
  };
  socket.onclose = () => {
    clearInterval(pinger);
    socket = null;
    emit({ type: "live.closed" });
    retry();
  };
  socket.onerror = () => {}; // onclose follows and retries
}

function retry() {
  if (!wanted) return;
  clearTimeout(timer);
  const delay = Math.min(30_000, 1000 * 2 ** attempts++);
  timer = setTimeout(open, delay);
}

export function connectLive() {
  if (wanted) return;
  wanted = true;
  open();
}

export function disconnectLive() {
  wanted = false;
  clearTimeout(timer);
  clearInterval(pinger);
  socket?.close();
  socket = null;
}
