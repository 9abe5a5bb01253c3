import { Flow, type FlowInput } from '../flow-schema';
import { $, when } from './build';

/**
 * After a paid order (any order until the owner picks categories), three emails N days apart, each
 * recommending the next step (barbecue → accessories → spices → cooking class). A step the owner
 * left unconfigured recommends in-stock best-sellers from the order's own categories. Products the
 * contact already bought are left out, and a step with nothing left to recommend is skipped.
 */
const definition: FlowInput = {
  schemaVersion: 1,
  id: 'post-purchase',
  version: 1,
  name: 'Post-purchase product journey',
  topics: ['offers'],
  description: 'Guides buyers to the natural next products after a purchase.',
  settings: {
    triggerCategories: { kind: 'list', value: [], label: 'Start after an order in these category ids (empty: every paid order)' },
    step1Delay: { kind: 'duration', value: '7d', label: 'Step 1 after' },
    step1Products: { kind: 'list', value: [], label: 'Step 1 product ids (e.g. accessories; empty with no categories: best-sellers of the order’s categories)' },
    step1Categories: { kind: 'list', value: [], label: 'Step 1 category ids' },
    step2Delay: { kind: 'duration', value: '14d', label: 'Step 2 after step 1' },
    step2Products: { kind: 'list', value: [], label: 'Step 2 product ids (e.g. spices)' },
    step2Categories: { kind: 'list', value: [], label: 'Step 2 category ids' },
    step3Delay: { kind: 'duration', value: '30d', label: 'Step 3 after step 2' },
    step3Products: { kind: 'list', value: [], label: 'Step 3 product ids (e.g. cooking class)' },
    step3Categories: { kind: 'list', value: [], label: 'Step 3 category ids' },
    template: { kind: 'template', value: 'post_purchase.next', label: 'Next-step email' },
  },
  exitOn: [],
  reentry: { mode: 'restart' },
  nodes: [
    {
      type: 'trigger',
      id: 'paid',
      on: { kind: 'event', event: 'order.paid', where: [when('setting', 'triggerCategories', 'empty')] },
      next: 'wait_1',
    },
    {
      type: 'trigger',
      id: 'bought',
      on: { kind: 'event', event: 'order.paid', where: [when('order', 'categoryIds', 'intersects', $('triggerCategories'))] },
      next: 'wait_1',
    },
    { type: 'wait', id: 'wait_1', until: { kind: 'duration', duration: $('step1Delay') }, next: 'step_1' },
    {
      type: 'send_email',
      id: 'step_1',
      template: $('template'),
      recommend: { products: $('step1Products'), categories: $('step1Categories'), fromOrder: true, skipIfEmpty: true },
      next: 'wait_2',
    },
    { type: 'wait', id: 'wait_2', until: { kind: 'duration', duration: $('step2Delay') }, next: 'step_2' },
    {
      type: 'send_email',
      id: 'step_2',
      template: $('template'),
      recommend: { products: $('step2Products'), categories: $('step2Categories'), fromOrder: true, skipIfEmpty: true },
      next: 'wait_3',
    },
    { type: 'wait', id: 'wait_3', until: { kind: 'duration', duration: $('step3Delay') }, next: 'step_3' },
    {
      type: 'send_email',
      id: 'step_3',
      template: $('template'),
      recommend: { products: $('step3Products'), categories: $('step3Categories'), fromOrder: true, skipIfEmpty: true },
    },
  ],
};

export const postPurchase: Flow = Flow.parse(definition);
