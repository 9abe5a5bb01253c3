import { DurableObject } from 'cloudflare:workers';

/** One per contact (named `<store>:<contact>`): serial, timed work for that contact. */
export class ContactAgent extends DurableObject<Env> {}
