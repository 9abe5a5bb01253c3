import { Flow, type FlowInput } from '../flow-schema';
import { $, when } from './build';

/**
 * Email 1 asks what the contact likes through choice links; a click records it on the contact
 * (zero-party data) and email 2, two days after sign-up, shows products picked by it (new arrivals:
 * newest; good deals: lowest prices; gift ideas: best-sellers), or honestly our best-sellers when
 * the contact did not answer. Contacts who still have not ordered get an optional first-order
 * coupon in email 3.
 */
const reachable = when('contact', 'reachable.email', 'eq', true);

const definition: FlowInput = {
  schemaVersion: 1,
  id: 'welcome',
  version: 1,
  name: 'Welcome series with preferences',
  topics: ['news'],
  description: 'Asks new subscribers what they like, then follows up with matching products.',
  settings: {
    firstTemplate: { kind: 'template', value: 'welcome.1', label: 'Welcome email (asks preferences)' },
    choiceNew: { kind: 'text', value: 'New arrivals', label: 'Choice 1 label' },
    choiceDeals: { kind: 'text', value: 'Good deals', label: 'Choice 2 label' },
    choiceGifts: { kind: 'text', value: 'Gift ideas', label: 'Choice 3 label' },
    secondDelay: { kind: 'duration', value: '2d', label: 'Second email after sign-up' },
    secondTemplate: { kind: 'template', value: 'welcome.2', label: 'Second email (uses preferences)' },
    thirdDelay: { kind: 'duration', value: '3d', label: 'Third email after the second' },
    incentiveEnabled: { kind: 'boolean', value: true, label: 'Offer a first-order coupon' },
    incentivePercent: { kind: 'number', value: 10, min: 1, max: 100, label: 'First-order discount (%)' },
    couponValidity: { kind: 'duration', value: '14d', label: 'Coupon valid for' },
    thirdTemplate: { kind: 'template', value: 'welcome.3', label: 'Third email (first-order incentive)' },
  },
  reentry: { mode: 'once' },
  nodes: [
    // Entry waits until the contact is reachable for email marketing (consent granted, double opt-in confirmed):
    // the first identify or account usually comes a second before the consent, and `once` would spend the entry.
    { type: 'trigger', id: 'signup', on: { kind: 'event', event: 'identified', where: [reachable] }, next: 'email_1' },
    { type: 'trigger', id: 'account', on: { kind: 'event', event: 'customer.created', where: [reachable] }, next: 'email_1' },
    {
      type: 'send_email',
      id: 'email_1',
      template: $('firstTemplate'),
      choices: [
        { key: 'new', label: $('choiceNew'), fill: 'newest' },
        { key: 'deals', label: $('choiceDeals'), fill: 'lowest_price' },
        { key: 'gifts', label: $('choiceGifts'), fill: 'bestselling' },
      ],
      next: 'choice',
    },
    {
      type: 'wait',
      id: 'choice',
      until: { kind: 'event', event: 'message.clicked', fromNode: 'email_1', timeout: $('secondDelay'), onTimeout: 'email_2' },
      next: 'remember',
    },
    { type: 'set_property', id: 'remember', key: 'interest', value: { context: 'link.key' }, next: 'settle' },
    { type: 'wait', id: 'settle', until: { kind: 'duration', duration: $('secondDelay'), since: 'enrollment' }, next: 'email_2' },
    { type: 'send_email', id: 'email_2', template: $('secondTemplate'), recommend: { fill: 'choice' }, next: 'pause' },
    { type: 'wait', id: 'pause', until: { kind: 'duration', duration: $('thirdDelay') }, next: 'offer' },
    {
      type: 'branch',
      id: 'offer',
      cases: [
        {
          when: [when('setting', 'incentiveEnabled', 'eq', true), when('contact', 'stats.ordersCount', 'eq', 0)],
          next: 'coupon',
        },
      ],
    },
    { type: 'issue_coupon', id: 'coupon', discountType: 'percent', amount: $('incentivePercent'), validFor: $('couponValidity'), next: 'email_3' },
    { type: 'send_email', id: 'email_3', template: $('thirdTemplate'), recommend: { fill: 'bestselling' } },
  ],
};

export const welcome: Flow = Flow.parse(definition);
