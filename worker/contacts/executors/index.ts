import { assertNever, type JourneyAction } from '../../journeys/actions';
import { executeAddToAudience } from './add-to-audience';
import { executeCallWebhook } from './call-webhook';
import { executeIssueCoupon } from './issue-coupon';
import { executeJourneyLog } from './journey-log';
import { executeSendEmail } from './send-email';
import { executeSendSms } from './send-sms';
import { executeSetProperty } from './set-property';
import { executeSetTag } from './set-tag';
import { executeShowPrompt } from './show-prompt';
import type { ExecutorContext, ExecutorOutcome } from './types';

/** Runs one journey action with its executor; every action type has exactly one. */
export function executeAction(ctx: ExecutorContext, action: JourneyAction): Promise<ExecutorOutcome> {
  switch (action.type) {
    case 'send_email':
      return executeSendEmail(ctx, action);
    case 'send_sms':
      return executeSendSms(ctx, action);
    case 'show_prompt':
      return executeShowPrompt(ctx, action);
    case 'add_to_audience':
      return executeAddToAudience(ctx, action);
    case 'issue_coupon':
      return executeIssueCoupon(ctx, action);
    case 'set_tag':
      return executeSetTag(ctx, action);
    case 'set_property':
      return executeSetProperty(ctx, action);
    case 'call_webhook':
      return executeCallWebhook(ctx, action);
    case 'journey_log':
      return executeJourneyLog(ctx, action);
    default:
      return assertNever(action);
  }
}
