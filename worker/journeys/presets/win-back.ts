import { Flow, type FlowInput } from '../flow-schema';
import { $ } from './build';

/**
 * Every paid order restarts a quiet clock sized to the contact's own rhythm (median gap between
 * their orders × 1.5; a fallback for one-time buyers), never longer than `latestGap`. If it runs
 * out, or the contact enters the "ignores promotions" segment, a re-engagement email goes out
 * before they lapse. Any order ends it. Both the fallback and the ceiling stay below the store's
 * hibernation window (90 days by default): a contact silent that long gets no promotions at all,
 * so a win-back timed at or after it would always be skipped as hibernated.
 */
const definition: FlowInput = {
  schemaVersion: 1,
  id: 'win-back',
  version: 1,
  name: 'Win-back before they lapse',
  topics: ['offers'],
  description: 'Re-engages customers who are overdue against their own purchase rhythm.',
  settings: {
    rhythmFactor: { kind: 'number', value: 1.5, min: 1, max: 10, label: 'Overdue after this many median order gaps' },
    minimumGap: { kind: 'duration', value: '14d', label: 'Never earlier than' },
    fallbackGap: { kind: 'duration', value: '60d', label: 'Overdue after (customers with one order)' },
    latestGap: { kind: 'duration', value: '75d', label: 'Never later than (keep it under the hibernation window, 90 days by default)' },
    disengagedSegment: { kind: 'text', value: 'ignores-promotions', label: 'Segment of contacts ignoring promotions' },
    incentiveEnabled: { kind: 'boolean', value: true, label: 'Include a coupon' },
    incentivePercent: { kind: 'number', value: 15, min: 1, max: 100, label: 'Win-back discount (%)' },
    couponValidity: { kind: 'duration', value: '14d', label: 'Coupon valid for' },
    template: { kind: 'template', value: 'winback.1', label: 'Win-back email' },
  },
  exitOn: [{ event: 'order.placed' }],
  reentry: { mode: 'restart' },
  nodes: [
    { type: 'trigger', id: 'ordered', on: { kind: 'event', event: 'order.paid' }, next: 'overdue' },
    {
      type: 'trigger',
      id: 'disengaged',
      on: { kind: 'segment', segment: $('disengagedSegment'), change: 'entered' },
      reentry: { mode: 'after_exit', cooldown: '60d' },
      next: 'coupon',
    },
    {
      type: 'wait',
      id: 'overdue',
      until: {
        kind: 'duration',
        duration: { from: 'contact', path: 'stats.medianOrderGapDays', unit: 'd', times: $('rhythmFactor'), min: $('minimumGap'), max: $('latestGap'), fallback: $('fallbackGap') },
      },
      next: 'coupon',
    },
    { type: 'issue_coupon', id: 'coupon', discountType: 'percent', amount: $('incentivePercent'), validFor: $('couponValidity'), enabled: $('incentiveEnabled'), next: 'email' },
    { type: 'send_email', id: 'email', template: $('template'), recommend: { fill: 'newest' } },
  ],
};

export const winBack: Flow = Flow.parse(definition);
