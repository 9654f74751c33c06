// AudioWorklet processor: turns the microphone into 20 ms frames of 16 kHz PCM16LE (640 bytes each).
// It runs in a context created at 16 kHz, so Chrome has already resampled the input; the processor only
// converts, frames and measures the level. Each frame's buffer is transferred to the main thread.
import { INPUT_FRAME_SAMPLES } from "../wire";

// The AudioWorkletGlobalScope is not in TypeScript's DOM library; these are the few names used here.
declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
  abstract process(inputs: Float32Array[][]): boolean;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

/** What the processor posts: one full frame and its RMS level in [0, 1]. */
export interface CaptureFrameMessage {
  pcm: ArrayBuffer;
  level: number;
}

class CaptureProcessor extends AudioWorkletProcessor {
  private frame = new Int16Array(INPUT_FRAME_SAMPLES);
  private filled = 0;
  private sumOfSquares = 0;

  override process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (!channel) return true; // No input connected (yet): keep the processor alive.
    for (let i = 0; i < channel.length; i++) {
      const sample = Math.max(-1, Math.min(1, channel[i] ?? 0));
      this.frame[this.filled++] = sample < 0 ? sample * 0x8000 : sample * 0x7fff;
      this.sumOfSquares += sample * sample;
      if (this.filled === INPUT_FRAME_SAMPLES) this.flush();
    }
    return true;
  }

  private flush(): void {
    const message: CaptureFrameMessage = {
      pcm: this.frame.buffer,
      level: Math.sqrt(this.sumOfSquares / INPUT_FRAME_SAMPLES),
    };
    // Transfer the buffer, then never touch that array again: start a fresh one.
    this.port.postMessage(message, [this.frame.buffer]);
    this.frame = new Int16Array(INPUT_FRAME_SAMPLES);
    this.filled = 0;
    this.sumOfSquares = 0;
  }
}

registerProcessor("viva-capture", CaptureProcessor);
