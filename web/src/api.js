// Every HTTP call of the app, in one module: the public API only (API.md), nothing a third-party client could
// not do. It can later be swapped for the typed TypeScript client; nothing else in the app calls fetch.

let config = null;
let session = null; // {accessToken, refreshToken, expiresAt}
let refreshTimer = null;
const listeners = new Set();
const STORAGE_KEY = "rpm.session";

/** The deployment's URLs, from config.json next to the app (written by `make dev` or at deploy time). */
export async function loadConfig() {
  const response = await fetch("config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  config = await response.json();
  config.apiUrl = (config.apiUrl || "").replace(/\/$/, "");
  return config;
}

export function configuration() {
  return config;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || problem?.message || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function onSessionChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setSession(next) {
  session = next;
  clearTimeout(refreshTimer);
  if (next) {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    // Refresh a minute before the access token expires (or at once when it is nearly spent).
    const due = Math.max(5_000, next.expiresAt - Date.now() - 60_000);
    refreshTimer = setTimeout(() => refresh().catch(() => setSession(null)), due);
  } else {
    sessionStorage.removeItem(STORAGE_KEY);
  }
  for (const listener of listeners) listener(next);
}

function fromTokens(tokens, refreshToken) {
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken || refreshToken,
    expiresAt: Date.now() + tokens.expiresIn * 1000,
  };
}

/** A session kept in this tab (sessionStorage) across a reload; null when none or expired. */
export function restoreSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "null");
    if (saved?.refreshToken) {
      setSession(saved);
      if (saved.expiresAt - Date.now() < 60_000) return refresh().then(() => session, () => null);
      return Promise.resolve(saved);
    }
  } catch {
    /* a damaged entry: start signed out */
  }
  return Promise.resolve(null);
}

async function send(method, path, { body, query, auth = true, retry = true } = {}) {
  const url = new URL(config.apiUrl + path, location.href);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (auth && session) headers.Authorization = `Bearer ${session.accessToken}`;
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && auth && retry && session?.refreshToken) {
    await refresh().catch(() => setSession(null));
    if (session) return send(method, path, { body, query, auth, retry: false });
  }
  if (response.status === 204) return null;
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

const get = (path, query) => send("GET", path, { query });
const post = (path, body) => send("POST", path, { body });
const patch = (path, body) => send("PATCH", path, { body });
const put = (path, body) => send("PUT", path, { body });
const del = (path) => send("DELETE", path);

/** Every page of a list route (limit 100 each), up to `max` items. */
async function all(path, query = {}, max = 2000) {
  const items = [];
  let cursor;
  do {
    const page = await get(path, { ...query, limit: 100, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

// --- auth ---------------------------------------------------------------------------------------------------

export async function signIn(email, password) {
  const tokens = await send("POST", "/auth/login", { body: { email, password }, auth: false });
  setSession(fromTokens(tokens));
  return session;
}

export async function refresh() {
  if (!session?.refreshToken) throw new Error("no session");
  const tokens = await send("POST", "/auth/refresh", {
    body: { refreshToken: session.refreshToken },
    auth: false,
  });
  setSession(fromTokens(tokens, session.refreshToken));
}

export async function signOut() {
  try {
    if (session) await send("POST", "/auth/logout", { retry: false });
  } finally {
    setSession(null);
  }
}

export const me = () => get("/me");

// --- patients -----------------------------------------------------------------------------------------------

export const patients = () => all("/patients");
export const patient = (id) => get(`/patients/${id}`);
export const careTeam = (id) => get(`/patients/${id}/care-team`).then((r) => r.items);
export const addToCareTeam = (id, clinicianId) => put(`/patients/${id}/care-team/${clinicianId}`);
export const removeFromCareTeam = (id, clinicianId) => del(`/patients/${id}/care-team/${clinicianId}`);
export const devices = (id) => get(`/patients/${id}/devices`).then((r) => r.items);
export const readings = (id, { deviceType, from, to, max } = {}) =>
  all(`/patients/${id}/device-data`, { deviceType, from, to }, max);
export const latestReadings = (id) => get(`/patients/${id}/device-data`, { limit: 50 }).then((r) => r.items);
export const readingDays = (id, month) => get(`/patients/${id}/reading-days`, { month });
export const thresholds = (id) => get(`/patients/${id}/thresholds`);
export const monitoringLogs = (id, query) => get(`/patients/${id}/monitoring-logs`, { limit: 50, ...query });
export const addMonitoringLog = (id, body) => post(`/patients/${id}/monitoring-logs`, body);
export const labResults = (id) => get(`/patients/${id}/lab-results`, { limit: 50 }).then((r) => r.items);
export const treatmentPlans = (id) => get(`/patients/${id}/treatment-plans`, { limit: 50 }).then((r) => r.items);
export const appointments = (id) => get(`/patients/${id}/appointments`, { limit: 50 }).then((r) => r.items);

// --- alerts -------------------------------------------------------------------------------------------------

export const alerts = (status) => all("/alerts", { status }, 500);
export const setAlertStatus = (patientId, logId, status) =>
  patch(`/patients/${patientId}/monitoring-logs/${logId}`, { status });

// --- messages and attachments -------------------------------------------------------------------------------

export const threads = () => get("/threads", { limit: 100 }).then((r) => r.items);
export const createThread = (patientId, subject) => post("/threads", { patientId, subject });
export const messages = (threadId) => get(`/threads/${threadId}/messages`, { limit: 100 }).then((r) => r.items);
export const sendMessage = (threadId, recipient, body, attachments = []) =>
  post(`/threads/${threadId}/messages`, { recipient, body, attachments });
export const markRead = (threadId, messageId) => post(`/threads/${threadId}/messages/${messageId}/read`);
export const attachment = (id) => get(`/attachments/${id}`);

/** POST /attachments, then the bytes PUT to the presigned URL with its headers (the browser sets the length). */
export async function upload(patientId, file) {
  const slot = await post("/attachments", {
    patientId,
    fileName: file.name,
    contentType: file.type || "application/octet-stream",
    sizeBytes: file.size,
  });
  const headers = Object.fromEntries(
    Object.entries(slot.uploadHeaders || {}).filter(([name]) => name.toLowerCase() !== "content-length"),
  );
  const response = await fetch(slot.uploadUrl, { method: "PUT", headers, body: file });
  if (!response.ok) throw new ApiError(response.status, { detail: `Upload failed (${response.status})` });
  // The store checks the bytes against what was declared, then marks it available (or rejected): wait for it.
  for (let wait = 250; wait < 8000; wait *= 1.5) {
    const checked = await attachment(slot.attachmentId);
    if (checked.status === "available") return slot.attachmentId;
    if (checked.status === "rejected") throw new ApiError(422, { detail: `${file.name} was rejected by the upload check` });
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  throw new ApiError(504, { detail: `${file.name} is still being checked: try sending again in a moment` });
}

// --- live ---------------------------------------------------------------------------------------------------

export const liveTicket = () => post("/live/tickets").then((r) => r.ticket);

// --- admin --------------------------------------------------------------------------------------------------

export const users = (role) => get("/admin/users", { role, limit: 100 }).then((r) => r.items);
export const setRole = (userId, role) => put(`/admin/users/${userId}/role`, { role });
export const rejectedReadings = () => get("/admin/rejected-readings", { limit: 50 }).then((r) => r.items);
export const verifyAudit = (from, to) => get("/audit-logs/verify", { from, to });
