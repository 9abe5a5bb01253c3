import { preferenceUrl, trackEmail, unsubscribeUrl, type LinkSigning } from './links';
import type { RenderedEmail } from '../channels';
import { renderEmail, type TemplateData } from './render';
import type { EmailTemplateId, TemplateSource } from '../templates';

export type ComposeEmailInput = {
  /** From `messageIdFor(storeId, idempotencyKey)`: also the id of the row in `messages`. */
  sendId: string;
  storeId: string;
  contactId: string;
  flowId?: string;
  from: string;
  to: string;
  replyTo?: string;
  tag?: string;
  templateId: EmailTemplateId;
  locale: string | null | undefined;
  overrides?: Partial<TemplateSource>;
  data: Omit<TemplateData, 'links'>;
  /** Preference questions answered in one click (welcome email 1): each becomes a signed /p/ link. */
  preferenceChoices?: { label: string; key: string; value: string }[];
  signing: LinkSigning;
  /** Only when the contact's consent allows tracking: adds the open pixel. */
  trackOpens: boolean;
};

/** Renders a template and turns it into a ready-to-send email: signed footer links, tracked links, pixel. */
export async function composeEmail(input: ComposeEmailInput): Promise<RenderedEmail> {
  const ref = { storeId: input.storeId, contactId: input.contactId, sendId: input.sendId };
  const [unsubscribe, preferences] = await Promise.all([unsubscribeUrl(input.signing, ref), preferenceUrl(input.signing, ref)]);
  const questions = await Promise.all(
    (input.preferenceChoices ?? []).map(async (c) => ({ label: c.label, url: await preferenceUrl(input.signing, ref, { key: c.key, value: c.value }) })),
  );
  const rendered = await renderEmail({
    templateId: input.templateId,
    locale: input.locale,
    ...(input.overrides ? { overrides: input.overrides } : {}),
    data: { ...input.data, choices: [...questions, ...(input.data.choices ?? [])], links: { unsubscribe, preferences } },
  });
  const tracked = await trackEmail(input.signing, input.sendId, rendered, input.trackOpens);
  return {
    sendId: input.sendId,
    from: input.from,
    to: input.to,
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    subject: rendered.subject,
    html: tracked.html,
    text: tracked.text,
    ...(input.tag ? { tag: input.tag } : {}),
    listUnsubscribeUrl: unsubscribe,
    metadata: { store_id: input.storeId, contact_id: input.contactId, ...(input.flowId ? { flow_id: input.flowId } : {}) },
  };
}
