/**
 * The RPM backend's typed client: `RpmClient.api` is an openapi-fetch client typed by `schema.ts` (generated from
 * the served OpenAPI document by openapi-typescript: `make clients`); around it, what generators do not give:
 * sign-in and refresh before expiry, problem+json answers as `ProblemError`, cursor pages as an async iterator and
 * the live listener (a single-use ticket, then the WebSocket, reconnecting with backoff).
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths } from "./schema.js";
export type Schemas = components["schemas"];

/** An RFC 9457 problem the API answered with (any 4xx or 5xx). */
export class ProblemError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly errors?: unknown[];

  constructor(status: number, problem: Record<string, unknown> | undefined) {
    const detail = String(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    super(`${status}: ${detail}`);
    this.name = "ProblemError";
    this.status = status;
    this.type = String(problem?.type ?? "about:blank");
    this.title = String(problem?.title ?? "");
    this.detail = detail;
    this.errors = Array.isArray(problem?.errors) ? problem.errors : undefined;
  }
}

/** `{data, error, response}` of an openapi-fetch call → its data, or a `ProblemError`. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw new ProblemError(result.response.status, result.error as Record<string, unknown> | undefined);
  }
  return result.data as T;
}

export interface LiveEvent {
  type: string;
  patientId?: string;
  objectId?: string;
  at?: string;
}

/** What `listen` needs of a WebSocket: the browser's, React Native's, or the `ws` package's in Node. */
export interface WebSocketLike {
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface ClientOptions {
  /** The HTTP API's base URL, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** The WebSocket API's URL (`make dev` prints it; deployed: the `LiveWebSocketUrl` output). */
  wsUrl?: string;
  /** Refresh this many seconds before the access token expires (default 60). */
  refreshMarginSeconds?: number;
  fetch?: typeof fetch;
}

const PUBLIC = new Set(["/auth/login", "/auth/refresh", "/auth/signup", "/auth/confirm"]);
const PING_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;

export class RpmClient {
  /** Every route, typed: `await client.api.GET("/patients/{patientId}", {params: {path: {patientId}}})`. */
  readonly api: Client<paths>;
  private readonly options: ClientOptions;
  private accessToken?: string;
  private refreshToken?: string;
  private expiresAt = 0;

  constructor(options: ClientOptions) {
    this.options = options;
    this.api = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/$/, ""), fetch: options.fetch });
    const bearer: Middleware = {
      onRequest: async ({ request, schemaPath }) => {
        if (!PUBLIC.has(schemaPath) && this.refreshToken) {
          request.headers.set("Authorization", `Bearer ${await this.token()}`);
        }
        return request;
      },
    };
    this.api.use(bearer);
  }

  async signIn(email: string, password: string): Promise<void> {
    this.keep(unwrap(await this.api.POST("/auth/login", { body: { email, password } })));
  }

  /** The access token, refreshed first when it expires within the margin. */
  async token(): Promise<string> {
    const margin = (this.options.refreshMarginSeconds ?? 60) * 1000;
    if (!this.accessToken || Date.now() >= this.expiresAt - margin) {
      await this.refresh();
    }
    return this.accessToken as string;
  }

  async refresh(): Promise<void> {
    if (!this.refreshToken) throw new Error("sign in first");
    const body = { refreshToken: this.refreshToken };
    this.keep(unwrap(await this.api.POST("/auth/refresh", { body })));
  }

  async signOut(): Promise<void> {
    if (this.refreshToken) unwrap(await this.api.POST("/auth/logout"));
    this.accessToken = this.refreshToken = undefined;
  }

  /** Every item of a list, page after page (`nextCursor`): `for await (const p of client.pages("/patients"))`. */
  async *pages<T = Record<string, unknown>>(path: string, query: Record<string, string | number> = {}): AsyncGenerator<T> {
    let cursor: string | undefined;
    do {
      const params = new URLSearchParams(Object.entries({ ...query, ...(cursor ? { cursor } : {}) }).map(([k, v]) => [k, String(v)]));
      const response = await (this.options.fetch ?? fetch)(`${this.options.baseUrl.replace(/\/$/, "")}${path}?${params}`, {
        headers: { Authorization: `Bearer ${await this.token()}` },
      });
      const page = (await response.json()) as { items?: T[]; nextCursor?: string | null };
      if (!response.ok) throw new ProblemError(response.status, page as Record<string, unknown>);
      yield* page.items ?? [];
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /**
   * Live events until `close()`: a single-use ticket (`POST /live/tickets`) per connection, so the token never
   * travels in a URL; a ping every 30 s; after a drop, a new ticket and a new connection, waiting 1 s, 2 s, 4 s…
   * (at most 30 s). Events carry ids only: fetch the record over HTTP.
   */
  listen(onEvent: (event: LiveEvent) => void, options: { WebSocket?: WebSocketConstructor; onOpen?: () => void } = {}): { close(): void } {
    const Socket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Socket) throw new Error("no WebSocket here: pass one (in Node, the ws package)");
    if (!this.options.wsUrl) throw new Error("wsUrl is needed to listen");
    let closed = false;
    let backoff = 1000;
    let socket: WebSocketLike | undefined;
    let ping: ReturnType<typeof setInterval> | undefined;
    const connect = async (): Promise<void> => {
      try {
        const { ticket } = unwrap(await this.api.POST("/live/tickets"));
        socket = new Socket(`${this.options.wsUrl!.replace(/\/$/, "")}/?ticket=${encodeURIComponent(ticket)}`);
      } catch {
        if (!closed) setTimeout(connect, (backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)));
        return;
      }
      socket.onopen = () => {
        backoff = 1000;
        ping = setInterval(() => socket?.send(JSON.stringify({ action: "ping" })), PING_MS);
        options.onOpen?.();
      };
      socket.onmessage = (message) => {
        const event = JSON.parse(String(message.data)) as LiveEvent;
        if (event.type !== "pong") onEvent(event);
      };
      socket.onerror = () => undefined;
      socket.onclose = () => {
        clearInterval(ping);
        if (!closed) setTimeout(connect, (backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)));
      };
    };
    void connect();
    return {
      close: () => {
        closed = true;
        clearInterval(ping);
        socket?.close();
      },
    };
  }

  private keep(tokens: { accessToken: string; refreshToken?: string | null; expiresIn: number }): void {
    this.accessToken = tokens.accessToken;
    this.refreshToken = tokens.refreshToken ?? this.refreshToken;
    this.expiresAt = Date.now() + tokens.expiresIn * 1000;
  }
}
