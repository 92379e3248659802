import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Send a body with a strong ETag (its SHA-256) and answer If-None-Match with 304, so feed readers
 * polling every few minutes cost a hash and no transfer.
 */
export async function sendWithEtag(request: FastifyRequest, reply: FastifyReply, body: string, contentType: string): Promise<void> {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  reply.header('etag', etag).header('cache-control', 'no-cache');
  const inm = request.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) {
    await reply.code(304).send();
    return;
  }
  await reply.type(contentType).send(body);
}
