// The microphone: getUserMedia into a 16 kHz AudioContext, framed by the capture worklet.
import { INPUT_FRAME_BYTES, INPUT_SAMPLE_RATE } from "./wire";
import type { CaptureFrameMessage } from "./worklets/capture-processor";

export interface MicrophoneHandlers {
  /** One 640-byte upstream frame. */
  onFrame(pcm: ArrayBuffer): void;
  /** RMS level of the latest frame, in [0, 1]. */
  onLevel(level: number): void;
  /** A frame of the wrong size was produced and dropped (a bug guard: the server refuses such frames). */
  onBadFrame(byteLength: number): void;
}

export class Microphone {
  private constructor(
    private readonly stream: MediaStream,
    private readonly context: AudioContext,
  ) {}

  /** Ask for the microphone and start framing it. Rejects when access is denied or there is no device. */
  static async open(handlers: MicrophoneHandlers): Promise<Microphone> {
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new DOMException("The browser offers no microphone on this page.", "NotSupportedError");
    }
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
    const { context, source } = connectStream(stream);
    try {
      await context.audioWorklet.addModule(new URL("capture-processor.js", document.baseURI));
      const node = new AudioWorkletNode(context, "viva-capture", {
        numberOfInputs: 1,
        numberOfOutputs: 0,
        channelCount: 1,
        channelCountMode: "explicit",
      });
      node.port.onmessage = (event: MessageEvent<CaptureFrameMessage>) => {
        const { pcm, level } = event.data;
        handlers.onLevel(level);
        if (pcm.byteLength === INPUT_FRAME_BYTES) handlers.onFrame(pcm);
        else handlers.onBadFrame(pcm.byteLength);
      };
      source.connect(node);
      // Not awaited: a context the browser keeps suspended must not hold up the interview (typing still works).
      void context.resume();
    } catch (error) {
      stream.getTracks().forEach((track) => track.stop());
      await context.close();
      throw error;
    }
    return new Microphone(stream, context);
  }

  close(): void {
    this.stream.getTracks().forEach((track) => track.stop());
    void this.context.close();
  }
}

/**
 * The microphone in a 16 kHz context, where the browser resamples it. Browsers that cannot connect a stream to
 * a context of another rate (Firefox) get a context at their own rate; the capture worklet downsamples then.
 */
function connectStream(stream: MediaStream): { context: AudioContext; source: MediaStreamAudioSourceNode } {
  const context = new AudioContext({ sampleRate: INPUT_SAMPLE_RATE, latencyHint: "interactive" });
  try {
    return { context, source: context.createMediaStreamSource(stream) };
  } catch {
    void context.close();
    const native = new AudioContext({ latencyHint: "interactive" });
    return { context: native, source: native.createMediaStreamSource(stream) };
  }
}

/** A sentence for the candidate about why the microphone could not be opened. */
export function describeMicrophoneError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return "Microphone access was denied.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No microphone was found.";
    case "NotSupportedError":
      return window.isSecureContext
        ? "This browser does not support microphone capture."
        : "The microphone needs a secure connection: open this page over https.";
    case "NotReadableError":
      return "The microphone is in use by another application.";
    default:
      return `The microphone could not be started (${error instanceof Error ? error.message : String(error)}).`;
  }
}
