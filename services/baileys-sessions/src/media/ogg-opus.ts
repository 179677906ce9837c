/** What the Ogg container and its OpusHead packet say about a voice note. */
export interface OggOpusInfo {
  channels: number;
  /** The sample rate of the original input (informational); Opus itself always decodes at 48 kHz. */
  inputSampleRate: number;
  preSkip: number;
  /** From the last page's granule position (48 kHz samples) minus the pre-skip. */
  durationSeconds: number;
}

/**
 * Reads an Ogg/Opus file's identification header (RFC 7845 §5.1: "OpusHead", version, channel count, pre-skip,
 * input sample rate) and its length. Null when the bytes are not Ogg with an Opus stream. Pure.
 */
export function parseOggOpus(bytes: Buffer): OggOpusInfo | null {
  let offset = 0;
  let head: { channels: number; preSkip: number; inputSampleRate: number } | null = null;
  let lastGranule = 0n;
  while (offset + 27 <= bytes.length) {
    if (bytes.toString('latin1', offset, offset + 4) !== 'OggS') return null;
    const granule = bytes.readBigInt64LE(offset + 6);
    const segments = bytes[offset + 26]!;
    const tableEnd = offset + 27 + segments;
    if (tableEnd > bytes.length) return null;
    let size = 0;
    for (let index = offset + 27; index < tableEnd; index++) size += bytes[index]!;
    if (!head) {
      const packet = bytes.subarray(tableEnd, tableEnd + size);
      if (packet.length < 19 || packet.toString('latin1', 0, 8) !== 'OpusHead') return null;
      head = { channels: packet[9]!, preSkip: packet.readUInt16LE(10), inputSampleRate: packet.readUInt32LE(12) };
    }
    if (granule >= 0n) lastGranule = granule;
    offset = tableEnd + size;
  }
  if (!head) return null;
  const samples = Number(lastGranule) - head.preSkip;
  return { ...head, durationSeconds: Math.max(0, samples) / 48_000 };
}
