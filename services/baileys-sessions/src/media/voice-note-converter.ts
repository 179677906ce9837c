import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOggOpus } from './ogg-opus.ts';

export interface VoiceNote {
  body: Buffer;
  mimeType: 'audio/ogg; codecs=opus';
  seconds: number;
}

/** Any audio → a WhatsApp voice note (Ogg/Opus, mono, 48 kHz). */
export interface VoiceNoteConverter {
  toVoiceNote(audio: Buffer): Promise<VoiceNote>;
}

export interface FfmpegConverterOptions {
  /** The ffmpeg binary (Debian's `ffmpeg` package puts it on PATH; see the service README). */
  ffmpegPath?: string;
  timeoutMs?: number;
  /** Opus bit rate; 32 kb/s is plenty for speech and keeps notes small. */
  bitrate?: string;
}

/**
 * ffmpeg (libopus) as the converter. Input and output go through a private temporary directory, not pipes: some
 * containers (MP4/M4A with the index at the end, as phones record) cannot be read from a pipe. The output is checked
 * (OpusHead: one channel) before it is returned.
 */
export function createFfmpegVoiceNoteConverter(options: FfmpegConverterOptions = {}): VoiceNoteConverter {
  const ffmpeg = options.ffmpegPath ?? 'ffmpeg';
  const timeoutMs = options.timeoutMs ?? 60_000;
  return {
    async toVoiceNote(audio) {
      const directory = await mkdtemp(join(tmpdir(), 'voice-note-'));
      try {
        const input = join(directory, 'input');
        const output = join(directory, 'voice.ogg');
        await writeFile(input, audio);
        const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-i', input, '-vn', '-map_metadata', '-1', '-ac', '1', '-ar', '48000'];
        args.push(
          '-c:a',
          'libopus',
          '-b:a',
          options.bitrate ?? '32k',
          '-application',
          'voip',
          '-avoid_negative_ts',
          'make_zero',
          '-f',
          'ogg',
          output,
        );
        await run(ffmpeg, args, timeoutMs);
        const body = await readFile(output);
        const info = parseOggOpus(body);
        if (!info || info.channels !== 1) throw new Error('ffmpeg did not produce a mono Ogg/Opus file');
        return { body, mimeType: 'audio/ogg; codecs=opus', seconds: Math.max(1, Math.round(info.durationSeconds)) };
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}

function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${command} is not installed (apt-get install ffmpeg)` : stderr.trim() || error.message;
      reject(new Error(`audio conversion failed: ${reason}`));
    });
  });
}
