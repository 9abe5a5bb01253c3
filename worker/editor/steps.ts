import type { Flow } from '../journeys/flow-schema';
import { resolve, resolveString } from '../journeys/resolve';
import { isEmailTemplateId, isSmsTemplateId, type EmailTemplateId, type SmsTemplateId } from '../messaging/templates';

export type MessageStep =
  | { stepId: string; channel: 'email'; templateId: EmailTemplateId; params: Record<string, unknown>; choices: string[] }
  | { stepId: string; channel: 'sms'; templateId: SmsTemplateId; params: Record<string, unknown>; choices: string[] };

/** `{ 'path.title': 'x' }` → `{ path: { title: 'x' } }`, each value read through the flow's settings. */
function paramsOf(flow: Flow, params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, raw] of Object.entries(params)) {
    const [root = '', leaf] = path.split('.');
    const value = resolve(flow, raw);
    if (leaf === undefined) out[root] = value;
    else out[root] = { ...(out[root] as Record<string, unknown> | undefined), [leaf]: value };
  }
  return out;
}

/**
 * The flow's email and SMS steps whose template is one the catalogue ships (the default the
 * owner's wording replaces). A step naming an unknown template is never sent, so it is not listed.
 */
export function messageSteps(flow: Flow): MessageStep[] {
  const steps: MessageStep[] = [];
  for (const node of flow.nodes) {
    if (node.type !== 'send_email' && node.type !== 'send_sms') continue;
    const templateId = resolveString(flow, node.template);
    const params = paramsOf(flow, node.params);
    if (node.type === 'send_email' && isEmailTemplateId(templateId)) {
      steps.push({ stepId: node.id, channel: 'email', templateId, params, choices: node.choices.map((c) => resolveString(flow, c.label)) });
    } else if (node.type === 'send_sms' && isSmsTemplateId(templateId)) {
      steps.push({ stepId: node.id, channel: 'sms', templateId, params, choices: [] });
    }
  }
  return steps;
}
