// The binary side of the wire contract (protocol/audio.py) and typed construction of control messages.
import type { ClientMessage } from "./protocol";

export const PROTOCOL_VERSION = 1;

/** Upstream audio: 20 ms frames of 16 kHz mono PCM16LE, 640 bytes, no header. */
export const INPUT_SAMPLE_RATE = 16_000;
export const INPUT_FRAME_MS = 20;
export const INPUT_FRAME_SAMPLES = (INPUT_SAMPLE_RATE * INPUT_FRAME_MS) / 1000;
export const INPUT_FRAME_BYTES = INPUT_FRAME_SAMPLES * 2;

/** Downstream audio: a 12-byte header (kind, flags, reserved, utterance_id, seq) then PCM16LE samples. */
export const OUTPUT_HEADER_BYTES = 12;
const KIND_SPEECH = 1;
const FLAG_LAST = 0x01;

export interface OutputFrame {
  utteranceId: number;
  seq: number;
  last: boolean;
  /** Samples scaled to [-1, 1), ready for an AudioBuffer. */
  samples: Float32Array<ArrayBuffer>;
}

/** Decode one downstream binary message; throws on anything that is not a speech frame. */
export function decodeOutputFrame(data: ArrayBuffer): OutputFrame {
  if (data.byteLength < OUTPUT_HEADER_BYTES) {
    throw new Error(`audio frame of ${data.byteLength} bytes is shorter than its header`);
  }
  const view = new DataView(data);
  const kind = view.getUint8(0);
  if (kind !== KIND_SPEECH) throw new Error(`unknown audio frame kind ${kind}`);
  const payloadBytes = data.byteLength - OUTPUT_HEADER_BYTES;
  if (payloadBytes % 2 !== 0) throw new Error("PCM16 payload has an odd number of bytes");
  const samples = new Float32Array(payloadBytes / 2);
  for (let i = 0; i < samples.length; i++) {
    samples[i] = view.getInt16(OUTPUT_HEADER_BYTES + i * 2, true) / 32768;
  }
  return {
    utteranceId: view.getUint32(4, true),
    seq: view.getUint32(8, true),
    last: (view.getUint8(1) & FLAG_LAST) !== 0,
    samples,
  };
}

/** Distributes over the union, so each message keeps its own fields when `v` is left out. */
type WithoutVersion<T> = T extends unknown ? Omit<T, "v"> : never;

/** A complete client message, stamped with this client's protocol version. */
export function clientMessage(message: WithoutVersion<ClientMessage>): ClientMessage {
  return { ...message, v: PROTOCOL_VERSION };
}
