// One live interview WebSocket: says hello on open, decodes control messages and speech frames.
import type { ClientMessage, ServerMessage } from "./protocol";
import { clientMessage, decodeOutputFrame, INPUT_FRAME_BYTES, INPUT_FRAME_MS, INPUT_SAMPLE_RATE, type OutputFrame } from "./wire";

const CLIENT_NAME = "viva-web/0.1";

export interface ConnectionHandlers {
  onMessage(message: ServerMessage): void;
  onFrame(frame: OutputFrame): void;
  /** The socket closed (or never opened). `wasOpen` tells a dropped connection from a failed attempt. */
  onClose(code: number, reason: string, wasOpen: boolean): void;
  /** Something arrived that this client cannot read; the session goes on. */
  onUnreadable(problem: string): void;
}

/** The live socket's address for this page's host: ws(s)://HOST/ws/interview/{id}?token={token}. */
export function liveUrl(interviewId: string, token: string): string {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const path = `/ws/interview/${encodeURIComponent(interviewId)}?token=${encodeURIComponent(token)}`;
  return `${scheme}://${window.location.host}${path}`;
}

export class LiveConnection {
  private readonly socket: WebSocket;
  private opened = false;

  constructor(url: string, private readonly handlers: ConnectionHandlers) {
    this.socket = new WebSocket(url);
    this.socket.binaryType = "arraybuffer";
    this.socket.onopen = () => {
      this.opened = true;
      this.send(
        clientMessage({ type: "hello", client: CLIENT_NAME, sample_rate: INPUT_SAMPLE_RATE, frame_ms: INPUT_FRAME_MS }),
      );
    };
    this.socket.onmessage = (event: MessageEvent<string | ArrayBuffer>) => this.receive(event.data);
    this.socket.onclose = (event) => handlers.onClose(event.code, event.reason, this.opened);
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(message: ClientMessage): void {
    if (this.isOpen) this.socket.send(JSON.stringify(message));
  }

  /** Send one upstream audio frame; returns false when it was not sent (wrong size or socket not open). */
  sendAudio(pcm: ArrayBuffer): boolean {
    if (pcm.byteLength !== INPUT_FRAME_BYTES || !this.isOpen) return false;
    this.socket.send(pcm);
    return true;
  }

  close(): void {
    this.socket.onclose = null;
    this.socket.close(1000, "client closed");
  }

  private receive(data: string | ArrayBuffer): void {
    if (typeof data !== "string") {
      try {
        this.handlers.onFrame(decodeOutputFrame(data));
      } catch (error) {
        this.handlers.onUnreadable(`audio frame: ${String(error)}`);
      }
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      this.handlers.onUnreadable("a control message that is not JSON");
      return;
    }
    if (typeof message !== "object" || message === null || typeof (message as { type?: unknown }).type !== "string") {
      this.handlers.onUnreadable("a control message without a type");
      return;
    }
    this.handlers.onMessage(message as ServerMessage);
  }
}
