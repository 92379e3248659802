// CSAF 2.0 §7.1.13 (index.txt) and §7.1.14 (changes.csv) of a directory-based distribution.
import { resolveProviderUrl } from './provider-metadata.js';
import { normalizeUpdated, type ListedDocument } from './rolie.js';

/** changes.csv: `"path","date"` lines, newest first; paths are relative to the folder. */
export function readChangesCsv(text: string, folderUrl: string): ListedDocument[] {
  return lines(text).flatMap((line) => {
    const [path, date] = line.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    return path ? [{ url: resolveEntry(path, folderUrl), updated: normalizeUpdated(date ?? '') }] : [];
  });
}

/** index.txt: one relative path per line, no dates (each document is fetched once). */
export function readIndexTxt(text: string, folderUrl: string): ListedDocument[] {
  return lines(text).map((path) => ({ url: resolveEntry(path, folderUrl), updated: '' }));
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * A path relative to the folder. CISA lists paths from its repository root
 * ("csaf_files/IT/white/2024/x.json" under …/csaf_files/IT/white/): when the path starts with the
 * folder's own trailing segments, it is taken from where they begin instead of doubling them.
 */
export function resolveEntry(path: string, folderUrl: string): string {
  const folder = folderUrl.endsWith('/') ? folderUrl : `${folderUrl}/`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/')) return resolveProviderUrl(path, folder);
  const folderSegments = new URL(folder).pathname.split('/').filter(Boolean);
  const pathSegments = path.split('/');
  for (let n = Math.min(folderSegments.length, pathSegments.length - 1); n > 0; n--) {
    const tail = folderSegments.slice(folderSegments.length - n);
    if (tail.every((s, i) => s === pathSegments[i])) return new URL(pathSegments.slice(n).join('/'), folder).href;
  }
  return new URL(path, folder).href;
}
