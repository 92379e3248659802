// Inventory over the API (behind the admin token): list what matching uses, import or replace a
// collection (YAML, CSV, CycloneDX JSON — the formats of `secwatch inventory import`), delete one.
import type { FastifyPluginCallback } from 'fastify';
import { ConfigError, ParseError, describeError } from '../../errors.js';
import { formatRowError, type InventoryFormat } from '../../inventory/collect.js';
import { effectiveInventory } from '../../inventory/effective.js';
import { INVENTORY_FORMATS, parseInventory } from '../../inventory/read.js';
import { rematchStoredAdvisories } from '../../pipeline/rematch.js';
import { pathParams } from '../schemas.js';
import type { HttpDeps } from '../server.js';

/** Text bodies an import accepts besides JSON. */
export const INVENTORY_TEXT_TYPES = ['text/csv', 'text/yaml', 'application/yaml', 'application/x-yaml', 'text/plain'];

export function inventoryRoutes(deps: HttpDeps): FastifyPluginCallback {
  return (app, _options, done) => {
    for (const type of INVENTORY_TEXT_TYPES) if (!app.hasContentTypeParser(type)) app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 }, (_r, body, next) => next(null, body));

    app.get<{ Querystring: { collection?: string; stored?: boolean } }>(
      '/inventory',
      {
        schema: {
          summary: 'The inventory matching uses: config files merged with the stored collections',
          tags: ['inventory'],
          querystring: {
            type: 'object',
            properties: { collection: { type: 'string' }, stored: { type: 'boolean', description: 'only the stored collections, not the config files' } },
            additionalProperties: false,
          },
        },
      },
      async (request) => {
        const stored = await deps.store.listInventory();
        const collections = (await deps.store.listInventoryCollections()).map((c) => c.collection);
        const items = effectiveInventory(request.query.stored ? [] : deps.inventory.items, collections, stored).filter(
          (i) => request.query.collection === undefined || i.collection === request.query.collection,
        );
        return { items };
      },
    );

    app.get('/inventory/collections', { schema: { summary: 'Stored collections with their item counts', tags: ['inventory'] } }, async () => ({
      collections: await deps.store.listInventoryCollections(),
    }));

    app.put<{ Params: { collection: string }; Querystring: { format?: InventoryFormat; strict?: boolean }; Body: unknown }>(
      '/inventory/collections/:collection',
      {
        schema: {
          summary: 'Replace a collection (import): YAML (or JSON {items: [...]}), CSV, or a CycloneDX SBOM',
          description: 'Content-Type text/yaml, text/csv or application/json. Rows with errors are skipped and listed; with strict=true any error imports nothing.',
          tags: ['inventory'],
          params: pathParams('collection'),
          querystring: {
            type: 'object',
            properties: { format: { type: 'string', enum: [...INVENTORY_FORMATS] }, strict: { type: 'boolean', default: false } },
            additionalProperties: false,
          },
        },
      },
      async (request, reply) => {
        const { collection } = request.params;
        const raw = request.body;
        const json = typeof raw === 'object' && raw !== null;
        const body = json ? JSON.stringify(raw) : typeof raw === 'string' ? raw : '';
        const contentType = request.headers['content-type'] ?? '';
        // JSON is YAML too: a JSON body is the YAML form ({items: [...]}) unless it is a CycloneDX BOM.
        const format: InventoryFormat =
          request.query.format ?? (json ? (body.includes('"bomFormat"') ? 'cyclonedx' : 'yaml') : contentType.startsWith('text/csv') ? 'csv' : 'yaml');
        let read;
        try {
          read = parseInventory(body, `api:${collection}`, { collection, format });
        } catch (err) {
          if (err instanceof ConfigError || err instanceof ParseError) return reply.code(400).send({ error: 'bad-request', message: describeError(err) });
          throw err;
        }
        const errors = read.errors.map(formatRowError);
        if (errors.length > 0 && (read.items.length === 0 || request.query.strict)) {
          return reply.code(422).send({ error: 'invalid-inventory', message: `nothing imported; collection "${collection}" left as it was`, errors });
        }
        const counts = await deps.store.replaceInventoryCollection(collection, read.items, deps.clock.now());
        // Same as `secwatch inventory import`: stored advisories are re-matched, no alerts planned.
        const rematch = counts.added + counts.changed + counts.removed > 0 ? await rematchStoredAdvisories(deps) : undefined;
        return { collection, format: read.format, items: read.items.length, ...counts, errors, ...(rematch ? { rematch } : {}) };
      },
    );

    app.delete<{ Params: { collection: string } }>(
      '/inventory/collections/:collection',
      { schema: { summary: 'Forget a stored collection and its items', tags: ['inventory'], params: pathParams('collection') } },
      async (request, reply) => {
        if (!(await deps.store.deleteInventoryCollection(request.params.collection))) return reply.code(404).send({ error: 'not-found', message: `no stored collection "${request.params.collection}"` });
        // The deleted items' matches go too (no body on 204: the counts are not reported here).
        await rematchStoredAdvisories(deps);
        return reply.code(204).send();
      },
    );
    done();
  };
}
