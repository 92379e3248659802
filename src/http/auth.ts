import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Bearer-token check for management routes. Both sides are hashed first so the comparison is
 * constant-time whatever the lengths; with no token configured every management route refuses.
 */
export function adminGuard(adminToken: string | undefined) {
  const expected = adminToken ? digest(adminToken) : undefined;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization ?? '';
    const presented = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    if (expected && presented && timingSafeEqual(digest(presented), expected)) return;
    await reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="secwatch"')
      .send({ error: 'unauthorized', message: expected ? 'a valid admin token is required (Authorization: Bearer …)' : 'SECWATCH_ADMIN_TOKEN is not set: management routes are disabled' });
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
