import { Hono, type Context } from 'hono';
import simpleProduct from '../../../../shared/fixtures/woocommerce-more/product.updated.price-stock.json';
import variableProduct from '../../../../shared/fixtures/woocommerce/product.created.variable.json';
import variationProduct from '../../../../shared/fixtures/woocommerce/product.created.variation.json';
import type { FetchLike } from '../../messaging/retry';

/**
 * A local stand-in for a store's WooCommerce REST catalogue (`/wp-json/wc/v3/products`, `/products/{id}/variations`,
 * `/products/categories`) in WooCommerce's wire format: Basic auth with the consumer key/secret, `per_page`
 * (max 100) and `page`, `X-WP-Total` and `X-WP-TotalPages`, errors as `{ code, message, data: { status } }`.
 * Products are built from captured real products, so every field WooCommerce sends is there.
 */
export type WooJson = Record<string, unknown> & { id: number };
export type CategoryJson = { id: number; name: string; slug: string; parent: number; count: number };

export type WooCatalogFake = {
  fetch: FetchLike;
  products: WooJson[];
  variations: Map<number, WooJson[]>;
  categories: CategoryJson[];
  requests: { path: string; query: string; authorization: string | null }[];
  failNext(status: 401 | 500): void;
};

const wooError = (code: string, message: string, status: number) => ({ code, message, data: { status } });

export function wooGmt(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

type Fields = { id: number; name: string; price: string; stock?: number | null; categoryIds?: number[]; modified: number };

export function simple(f: Fields, categories: CategoryJson[]): WooJson {
  return {
    ...structuredClone(simpleProduct), ...common(f),
    categories: categories.filter((c) => f.categoryIds?.includes(c.id)).map(({ id, name, slug }) => ({ id, name, slug })),
  };
}

export function variable(f: Fields & { variationIds: number[] }, categories: CategoryJson[]): WooJson {
  return {
    ...structuredClone(variableProduct), ...common(f), variations: f.variationIds,
    categories: categories.filter((c) => f.categoryIds?.includes(c.id)).map(({ id, name, slug }) => ({ id, name, slug })),
  };
}

/** As `/products/{id}/variations` serves it: `image` instead of `images`, no categories. */
export function variation(f: Fields & { parentId: number }): WooJson {
  const { images: _images, categories: _categories, ...rest } = structuredClone(variationProduct) as Record<string, unknown>;
  return { ...rest, ...common(f), parent_id: f.parentId, image: { id: 0, src: `https://shop.example/v${f.id}.jpg` } };
}

function common(f: Fields) {
  return {
    id: f.id, name: f.name, slug: f.name.toLowerCase().replace(/\W+/g, '-'), permalink: `https://shop.example/p/${f.id}`,
    price: f.price, regular_price: f.price, stock_quantity: f.stock ?? null, manage_stock: f.stock != null,
    stock_status: f.stock === 0 ? 'outofstock' : 'instock', date_modified_gmt: wooGmt(f.modified),
  };
}

export function createWooCatalogFake(consumerKey: string, consumerSecret: string): WooCatalogFake {
  const fake: Omit<WooCatalogFake, 'fetch' | 'failNext'> = { products: [], variations: new Map(), categories: [], requests: [] };
  let fail: 401 | 500 | null = null;
  const app = new Hono();
  app.use('/wp-json/wc/v3/*', async (c, next) => {
    const url = new URL(c.req.url);
    const authorization = c.req.header('Authorization') ?? null;
    fake.requests.push({ path: url.pathname, query: url.search, authorization });
    if (fail) {
      const status = fail;
      fail = null;
      return status === 401
        ? c.json(wooError('woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.', 401), 401)
        : c.json(wooError('internal_server_error', 'There has been a critical error on this website.', 500), 500);
    }
    if (authorization !== `Basic ${btoa(`${consumerKey}:${consumerSecret}`)}`) {
      return c.json(wooError('woocommerce_rest_authentication_error', 'Consumer key is invalid.', 401), 401);
    }
    return next();
  });
  const page = (c: Context, items: unknown[]) => {
    const perPage = Number(c.req.query('per_page') ?? '10');
    const n = Number(c.req.query('page') ?? '1');
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) return { error: wooError('rest_invalid_param', 'Invalid parameter(s): per_page', 400) };
    const totalPages = Math.max(1, Math.ceil(items.length / perPage));
    return { body: items.slice((n - 1) * perPage, n * perPage), headers: { 'X-WP-Total': String(items.length), 'X-WP-TotalPages': String(totalPages) } };
  };
  const answer = (c: Context, items: unknown[]) => {
    const p = page(c, items);
    if ('error' in p) return c.json(p.error, 400);
    return c.json(p.body, 200, p.headers);
  };
  app.get('/wp-json/wc/v3/products/categories', (c) => answer(c, fake.categories));
  app.get('/wp-json/wc/v3/products/:id/variations', (c) => {
    const id = Number(c.req.param('id'));
    if (!fake.products.some((p) => p.id === id)) return c.json(wooError('woocommerce_rest_product_invalid_id', 'Invalid ID.', 404), 404);
    return answer(c, fake.variations.get(id) ?? []);
  });
  app.get('/wp-json/wc/v3/products', (c) => answer(c, fake.products));
  return {
    ...fake,
    fetch: async (input, init) => app.fetch(new Request(input, init)),
    failNext: (status) => void (fail = status),
  };
}
