import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseOggOpus } from './ogg-opus.ts';
import { createFfmpegVoiceNoteConverter } from './voice-note-converter.ts';

/** A 16-bit PCM WAV of a sine tone: stereo 44.1 kHz, as a desktop recorder would produce. */
function wav(seconds: number, channels = 2, sampleRate = 44_100): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(samples * channels * 2);
  for (let index = 0; index < samples; index++) {
    const value = Math.round(Math.sin((2 * Math.PI * 440 * index) / sampleRate) * 12_000);
    for (let channel = 0; channel < channels; channel++) data.writeInt16LE(value, (index * channels + channel) * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

describe('createFfmpegVoiceNoteConverter (Debian ffmpeg, libopus)', () => {
  it('turns a stereo 44.1 kHz WAV into an Ogg/Opus mono 48 kHz voice note, as ffprobe and the OpusHead packet confirm', async () => {
    const note = await createFfmpegVoiceNoteConverter().toVoiceNote(wav(2.5));
    expect(note.mimeType).toBe('audio/ogg; codecs=opus');
    expect(note.body.subarray(0, 4).toString('latin1')).toBe('OggS');
    const head = parseOggOpus(note.body);
    expect(head).toMatchObject({ channels: 1, inputSampleRate: 48_000 });
    expect(head!.durationSeconds).toBeGreaterThan(2.3);
    expect(head!.durationSeconds).toBeLessThan(2.7);
    expect(note.seconds).toBe(3);

    const directory = await mkdtemp(join(tmpdir(), 'voice-note-test-'));
    try {
      await writeFile(join(directory, 'note.ogg'), note.body);
      const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', join(directory, 'note.ogg')]);
      const [stream] = (JSON.parse(stdout) as { streams: { codec_name: string; channels: number; sample_rate: string }[] }).streams;
      expect(stream).toMatchObject({ codec_name: 'opus', channels: 1, sample_rate: '48000' });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses input that is not audio, and says when ffmpeg is missing', async () => {
    await expect(createFfmpegVoiceNoteConverter().toVoiceNote(Buffer.from('not audio at all'))).rejects.toThrow(/audio conversion failed/);
    await expect(createFfmpegVoiceNoteConverter({ ffmpegPath: '/nonexistent/ffmpeg' }).toVoiceNote(wav(0.2))).rejects.toThrow(/not installed/);
  }, 60_000);

  it('parseOggOpus rejects bytes that are not Ogg/Opus', () => {
    expect(parseOggOpus(wav(0.1))).toBeNull();
    expect(parseOggOpus(Buffer.alloc(0))).toBeNull();
  });
});
