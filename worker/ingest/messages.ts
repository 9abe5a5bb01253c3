/** What travels on the INGEST queue. Routes produce these; `ingest/consumer.ts` dispatches them. */
export type WooDeliveryMessage = {
  kind: 'woo';
  storeId: string;
  deliveryId: string;
  /** X-WC-Webhook-Id, for the delivery log the consumer writes. */
  webhookId?: string | null;
  topic: string;
  receivedAt: number;
  /** The raw body, or a pointer to `ingest_payloads` when it was too large for a queue message. */
  body: { inline: string } | { payloadId: string };
};

export type CollectMessage = {
  kind: 'collect';
  storeId: string;
  /** true when the batch carried a valid plugin-bridge signature. */
  trusted: boolean;
  visitorId: string;
  receivedAt: number;
  ipHash: string | null;
  userAgent: string | null;
  /** Where the edge located a browser batch (request.cf.timezone); absent for server batches. */
  geoTimezone?: string | null;
  /** Already validated by the route (see ingest/collect/beacon.ts). */
  events: unknown[];
};

/** One page (or a few variable products) of a catalogue import run; see catalog/catalog-import.ts. */
export type CatalogMessage = {
  kind: 'catalog';
  storeId: string;
  runId: string;
  /** `categories:<page>`, `products:<page>` or `variations:<id>,<id>,…`: also the task's key in its run. */
  task: string;
};

export type IngestMessage = WooDeliveryMessage | CollectMessage | CatalogMessage;

/** Queue messages are capped at 128 KB; leave room for the envelope. */
export const MAX_INLINE_BODY_BYTES = 96 * 1024;
