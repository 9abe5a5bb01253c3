import type { JourneyLogAction, SendEmailAction } from '../../journeys/actions';

/**
 * A ContactAgent's decision to send flow emails (those of one run, in its order), handed to the SEND queue as one cheap step instead of
 * the guardrails, rendering and row claim it used to run alone (issue 10, "Sending fast"): the SEND
 * consumer takes up to a batch of them and runs that same work for all at once (intent-consumer.ts).
 * `at` is when the agent handed it off: a deferral that comes back after the agent ended every journey is dropped.
 * `logs` are the journey log entries that followed the emails in their lanes (the enrollment completed with its
 * last email): the stage writes them with its batch, so the agent's wake needs no D1 round trip of its own for them.
 */
export type SendIntent = { kind: 'send_intent'; storeId: string; contactId: string; actions: SendEmailAction[]; logs?: JourneyLogAction[]; at: number };

export function isSendIntent(body: unknown): body is SendIntent {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Partial<SendIntent>;
  return (
    b.kind === 'send_intent' && typeof b.storeId === 'string' && typeof b.contactId === 'string' && typeof b.at === 'number' &&
    Array.isArray(b.actions) && b.actions.every((a) => a?.type === 'send_email') &&
    (b.logs === undefined || (Array.isArray(b.logs) && b.logs.every((l) => l?.type === 'journey_log')))
  );
}

export async function handOffSends(queue: Queue, intent: Omit<SendIntent, 'kind'>): Promise<void> {
  const body: SendIntent = { kind: 'send_intent', ...intent };
  await queue.send(body, { contentType: 'json' });
}
