/** Media types the records may leave implicit, and the common wrong spellings we correct. */

const BY_EXTENSION: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  svg: "image/svg+xml",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  ogg: "audio/ogg",
  mp4: "video/mp4",
  webm: "video/webm",
  pdf: "application/pdf",
};

/** Non-registered spellings seen in the wild, mapped to the IANA-registered type. */
const ALIASES: Record<string, string> = {
  "image/jpg": "image/jpeg",
  "image/pjpeg": "image/jpeg",
  "audio/mp3": "audio/mpeg",
  "audio/x-mp3": "audio/mpeg",
  "audio/mpeg3": "audio/mpeg",
};

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

export function mediaTypeFromUrl(url: string): string | undefined {
  const path = new URL(url).pathname;
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext ? BY_EXTENSION[ext] : undefined;
}

/** Lower-cases and de-aliases a media type; undefined when it is not `type/subtype`. */
export function normaliseMediaType(value: string): string | undefined {
  const lower = value.trim().toLowerCase();
  if (!MEDIA_TYPE.test(lower)) return undefined;
  return ALIASES[lower] ?? lower;
}
