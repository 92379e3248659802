// RFC 9580 §7 cleartext-signed blocks found inside a mail body (inline PGP, often quoted in a
// forward). Pure text handling: cutting the block out and reading its signed text; checking the
// signature is src/verify/'s job.

const BEGIN = '-----BEGIN PGP SIGNED MESSAGE-----';
const SIG_BEGIN = '-----BEGIN PGP SIGNATURE-----';
const SIG_END = '-----END PGP SIGNATURE-----';

export interface ClearsignedBlock {
  /** The block from its BEGIN line to its END line inclusive, as it appears in the body. */
  readonly armored: string;
  /** The signed text: armor header skipped, dash-escapes ("- ") removed (§7.2). */
  readonly text: string;
  /** False when the END line is missing (a truncated mail): the block cannot be checked. */
  readonly complete: boolean;
}

/** Every clearsigned block of a text, in order. Lines must start at column 0, as §7 requires. */
export function findClearsignedBlocks(body: string): ClearsignedBlock[] {
  const text = body.replace(/\r\n?/g, '\n');
  const out: ClearsignedBlock[] = [];
  let from = 0;
  for (;;) {
    const begin = lineStart(text, BEGIN, from);
    if (begin < 0) return out;
    const sig = lineStart(text, SIG_BEGIN, begin);
    const end = sig < 0 ? -1 : lineStart(text, SIG_END, sig);
    const stop = end < 0 ? text.length : end + SIG_END.length;
    const armored = text.slice(begin, stop);
    out.push({ armored, text: signedText(text.slice(begin, sig < 0 ? text.length : sig)), complete: end >= 0 });
    from = stop;
  }
}

function lineStart(text: string, marker: string, from: number): number {
  let i = text.indexOf(marker, from);
  while (i > 0 && text[i - 1] !== '\n') i = text.indexOf(marker, i + 1);
  return i;
}

/** The text between the armor headers' blank line and the signature, dash-escapes undone. */
function signedText(block: string): string {
  const lines = block.split('\n').slice(1);
  const blank = lines.findIndex((l) => l.trim() === '');
  const body = lines.slice(blank < 0 ? 0 : blank + 1);
  // The line break before "-----BEGIN PGP SIGNATURE-----" is part of the armor, not the text.
  if (body.length > 0 && body[body.length - 1] === '') body.pop();
  return body.map((l) => (l.startsWith('- ') ? l.slice(2) : l)).join('\n');
}
