// The observer socket, /ws/observe/{id}[?token=]: sends `observe` on open (from the last event this page has,
// so a reconnect continues without gap or duplicate), decodes the server's messages, sends steering.
import type { ObserverClientMessage, ObserverServerMessage } from "./protocol";
import { PROTOCOL_VERSION } from "./wire";

/** Distributes over the union, so each message keeps its own fields when `v` is left out. */
type WithoutVersion<T> = T extends unknown ? Omit<T, "v"> : never;

export interface ObserverSocketHandlers {
  onMessage(message: ObserverServerMessage): void;
  /** The socket closed (or never opened). `wasOpen` tells a dropped connection from a failed attempt. */
  onClose(code: number, reason: string, wasOpen: boolean): void;
}

/** The socket's address; without a token, the browser's session cookie admits it. */
export function observerUrl(interviewId: string, token: string | null): string {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const query = token ? `?token=${encodeURIComponent(token)}` : "";
  const path = `/ws/observe/${encodeURIComponent(interviewId)}${query}`;
  return `${scheme}://${window.location.host}${path}`;
}

export class ObserverSocket {
  private readonly socket: WebSocket;
  private opened = false;

  constructor(url: string, afterSeq: number, name: string, handlers: ObserverSocketHandlers) {
    this.socket = new WebSocket(url);
    this.socket.onopen = () => {
      this.opened = true;
      this.send({ type: "observe", after_seq: afterSeq, name });
    };
    this.socket.onmessage = (event: MessageEvent<unknown>) => {
      if (typeof event.data !== "string") return;
      let message: unknown;
      try {
        message = JSON.parse(event.data);
      } catch {
        console.warn("viva: ignored a message that is not JSON");
        return;
      }
      if (typeof message === "object" && message !== null && typeof (message as { type?: unknown }).type === "string") {
        handlers.onMessage(message as ObserverServerMessage);
      }
    };
    this.socket.onclose = (event) => handlers.onClose(event.code, event.reason, this.opened);
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(message: WithoutVersion<ObserverClientMessage>): boolean {
    if (!this.isOpen) return false;
    this.socket.send(JSON.stringify({ ...message, v: PROTOCOL_VERSION }));
    return true;
  }

  close(): void {
    this.socket.onclose = null;
    this.socket.close(1000, "page closed");
  }
}
