// AudioWorklet processor: turns the microphone into 20 ms frames of 16 kHz PCM16LE (640 bytes each).
//
// Normally it runs in a context created at 16 kHz, so the browser has already resampled the input and the
// processor only converts, frames and measures the level. Browsers that cannot open the microphone in a
// 16 kHz context (Firefox) run it at their own rate; it then downsamples by averaging the input samples that
// fall into each output sample's interval (a box filter: enough anti-aliasing for speech recognition).
// Each frame's buffer is transferred to the main thread.
import { INPUT_FRAME_SAMPLES, INPUT_SAMPLE_RATE } from "../wire";

// The AudioWorkletGlobalScope is not in TypeScript's DOM library; these are the few names used here.
declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
  abstract process(inputs: Float32Array[][]): boolean;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;
declare const sampleRate: number;

/** What the processor posts: one full frame and its RMS level in [0, 1]. */
export interface CaptureFrameMessage {
  pcm: ArrayBuffer;
  level: number;
}

class CaptureProcessor extends AudioWorkletProcessor {
  /** Input samples per output sample (1 when the context already runs at 16 kHz). */
  private readonly ratio = sampleRate / INPUT_SAMPLE_RATE;
  private frame = new Int16Array(INPUT_FRAME_SAMPLES);
  private filled = 0;
  private sumOfSquares = 0;
  /** Downsampling state: input samples into the current output sample's interval, their sum and count. */
  private phase = 0;
  private bucketSum = 0;
  private bucketCount = 0;

  override process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (!channel) return true; // No input connected (yet): keep the processor alive.
    if (this.ratio === 1) {
      for (let i = 0; i < channel.length; i++) this.push(channel[i] ?? 0);
      return true;
    }
    for (let i = 0; i < channel.length; i++) {
      this.bucketSum += channel[i] ?? 0;
      this.bucketCount++;
      this.phase++;
      // The output sample is complete once the input has passed the end of its interval.
      if (this.phase >= this.ratio) {
        this.phase -= this.ratio;
        this.push(this.bucketSum / this.bucketCount);
        this.bucketSum = 0;
        this.bucketCount = 0;
      }
    }
    return true;
  }

  private push(value: number): void {
    const sample = Math.max(-1, Math.min(1, value));
    this.frame[this.filled++] = sample < 0 ? sample * 0x8000 : sample * 0x7fff;
    this.sumOfSquares += sample * sample;
    if (this.filled === INPUT_FRAME_SAMPLES) this.flush();
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
