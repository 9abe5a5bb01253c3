import { DurableObject } from 'cloudflare:workers';

/**
 * Bench only: the floor under the send path. A bare Durable Object whose one alarm writes one D1
 * row and enqueues one SEND pointer, nothing else, so `npm run bench` can compare a reminder's real
 * work with what this machine needs to fire as many alarms. Bound only in the bench's private copy
 * of wrangler.toml (bench/run.mjs); production has no binding, so no instance can exist there.
 */
export class BenchAlarm extends DurableObject<Env> {
  async arm(id: string, dueAt: number): Promise<void> {
    await this.ctx.storage.put('id', id);
    await this.ctx.storage.setAlarm(dueAt);
  }

  override async alarm(): Promise<void> {
    const id = (await this.ctx.storage.get<string>('id')) ?? this.ctx.id.toString();
    await this.env.DB.prepare('INSERT OR IGNORE INTO bench_floor (id, fired_at) VALUES (?, ?)').bind(id, Date.now()).run();
    // The consumer finds no such row and acknowledges: the floor pays the queue, not a send.
    await this.env.SEND.send({ storeId: 'bench-floor', messageId: id }, { contentType: 'json' });
  }
}
