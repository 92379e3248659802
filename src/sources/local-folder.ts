import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The folder path when `url` is a file: URL naming a directory (an OSV folder, a Maildir);
 * undefined otherwise, so the caller fetches it as one document.
 */
export async function folderOf(url: string): Promise<string | undefined> {
  if (!url.startsWith('file:')) return undefined;
  try {
    const path = fileURLToPath(url);
    return (await stat(path)).isDirectory() ? path : undefined;
  } catch {
    return undefined; // the HTTP client reports a missing file with its own error
  }
}
