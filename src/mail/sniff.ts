// Telling mail apart from other text by its first lines, for `--format auto` and `secwatch verify`.

/** An RFC 822 message: header fields from the first line, among them one every mail carries. */
export function looksLikeMailText(head: string): boolean {
  const header = head.split(/\r?\n\r?\n/)[0] ?? '';
  return /^[\w-]+:/.test(head) && /^(?:from|date|subject|message-id|mime-version|received|return-path):/im.test(header);
}

/** An mbox archive (a message, or several, behind "From " separator lines) or one message. */
export function looksLikeMailOrMbox(head: string): boolean {
  return /^From \S+ /.test(head) || looksLikeMailText(head);
}
