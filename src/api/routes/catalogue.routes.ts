import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createChannel, getChannel, listChannelViews, updateChannel } from '../../services/channels.service.js';
import type { Services } from '../../services/context.js';
import { getCustomer, listCustomers, upsertCustomer } from '../../services/customers.service.js';
import { createLocation, getLocation, listLocations, updateLocation } from '../../services/locations.service.js';
import { createProduct, getProduct, listProducts, updateProduct } from '../../services/products.service.js';
import { caller } from '../auth.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { ChannelBody, ChannelPatch, Code, CustomerBody, LocationBody, LocationPatch, Page, ProductBody, ProductPatch, Sku } from '../schemas.js';

/** Products, locations, channels and customers. */
export function catalogueRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const SkuParam = Type.Object({ sku: Sku });
    const CodeParam = Type.Object({ code: Code });

    r.get('/products', { schema: { tags: ['products'], querystring: Page } }, async (req) => {
      const page = await listProducts(services, caller(req), decodeCursor('products', req.query.cursor), req.query.limit ?? 50);
      return { items: page.items, nextCursor: encodeCursor('products', page.next) };
    });
    r.post('/products', { schema: { tags: ['products'], body: ProductBody } }, async (req, reply) =>
      reply.code(201).send(await createProduct(services, caller(req), req.body)),
    );
    r.get('/products/:sku', { schema: { tags: ['products'], params: SkuParam } }, async (req) => getProduct(services, caller(req), req.params.sku));
    r.patch('/products/:sku', { schema: { tags: ['products'], params: SkuParam, body: ProductPatch } }, async (req) =>
      updateProduct(services, caller(req), req.params.sku, req.body),
    );

    r.get('/locations', { schema: { tags: ['locations'] } }, async (req) => ({ items: await listLocations(services, caller(req)), nextCursor: null }));
    r.post('/locations', { schema: { tags: ['locations'], body: LocationBody } }, async (req, reply) =>
      reply.code(201).send(await createLocation(services, caller(req), req.body)),
    );
    r.get('/locations/:code', { schema: { tags: ['locations'], params: CodeParam } }, async (req) => getLocation(services, caller(req), req.params.code));
    r.patch('/locations/:code', { schema: { tags: ['locations'], params: CodeParam, body: LocationPatch } }, async (req) =>
      updateLocation(services, caller(req), req.params.code, req.body),
    );

    r.get('/channels', { schema: { tags: ['channels'] } }, async (req) => ({
      items: await listChannelViews(services.store.db, caller(req).orgId),
      nextCursor: null,
    }));
    r.post('/channels', { schema: { tags: ['channels'], body: ChannelBody } }, async (req, reply) =>
      reply.code(201).send(await createChannel(services, caller(req), req.body)),
    );
    r.get('/channels/:code', { schema: { tags: ['channels'], params: CodeParam } }, async (req) => getChannel(services, caller(req), req.params.code));
    r.patch('/channels/:code', { schema: { tags: ['channels'], params: CodeParam, body: ChannelPatch } }, async (req) =>
      updateChannel(services, caller(req), req.params.code, req.body),
    );

    r.get('/customers', { schema: { tags: ['customers'], querystring: Page } }, async (req) => {
      const page = await listCustomers(services, caller(req), decodeCursor('customers', req.query.cursor), req.query.limit ?? 50);
      return { items: page.items, nextCursor: encodeCursor('customers', page.next) };
    });
    r.put('/customers', { schema: { tags: ['customers'], summary: 'Create or update a customer by its external id', body: CustomerBody } }, async (req) =>
      upsertCustomer(services, caller(req), req.body),
    );
    r.get('/customers/:id', { schema: { tags: ['customers'], params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }) } }, async (req) =>
      getCustomer(services, caller(req), req.params.id),
    );
  };
}
