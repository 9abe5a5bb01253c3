import type { Db } from '../../db/client';
import { liveMessageVersion, type MessageStepKey, type MessageVersion } from '../../db/queries/message-versions';
import type { TemplateSource } from './types';

/** The owner's live wording, or undefined when the step uses the shipped default (never edited, or restored). */
async function ownerVersion(d: Db, key: MessageStepKey, channel: 'email' | 'sms'): Promise<MessageVersion | undefined> {
  const live = await liveMessageVersion(d, key);
  return live && !live.isDefault && live.channel === channel ? live : undefined;
}

/** Overrides for renderEmail from a step's live version: the owner's subject, preheader and bodies, if any. */
export function emailSourceOf(live: MessageVersion | undefined): TemplateSource | undefined {
  const v = live && !live.isDefault && live.channel === 'email' ? live : undefined;
  return v ? { subject: v.subject ?? '', preheader: v.preheader ?? '', html: v.html ?? '', text: v.text ?? '' } : undefined;
}

/** Overrides for renderEmail: the owner's subject, preheader and bodies for this step and language. */
export async function ownerEmailSource(d: Db, key: MessageStepKey): Promise<TemplateSource | undefined> {
  return emailSourceOf(await liveMessageVersion(d, key));
}

export async function ownerSmsSource(d: Db, key: MessageStepKey): Promise<string | undefined> {
  return (await ownerVersion(d, key, 'sms'))?.text ?? undefined;
}
