// The one stylesheet and the optional script, served from templates/web (no CDN, no web font).
import type { FastifyPluginCallback } from 'fastify';
import { WEB } from '../paths.js';
import { webAssets } from '../render.js';

export function assetRoutes(): FastifyPluginCallback {
  return (app, _options, done) => {
    app.get(WEB.css, async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(webAssets().css));
    app.get(WEB.script, async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(webAssets().script));
    done();
  };
}
