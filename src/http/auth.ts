import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Bearer-token check for management routes. Both sides are hashed first so the comparison is
 * constant-time whatever the lengths; with no token configured every management route refuses.
 */
export function adminGuard(adminToken: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization ?? '';
    const presented = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    if (presented && isAdminToken(adminToken, presented)) return;
    await reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="secwatch"')
      .send({ error: 'unauthorized', message: adminToken ? 'a valid admin token is required (Authorization: Bearer …)' : 'SECWATCH_ADMIN_TOKEN is not set: management routes are disabled' });
  };
}

/** Does the presented token equal the configured one? Hashed first: constant time whatever the lengths. */
export function isAdminToken(configured: string | undefined, presented: string): boolean {
  if (!configured || presented === '') return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(configured), digest(presented));
}
