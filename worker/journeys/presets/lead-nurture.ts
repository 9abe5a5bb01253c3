import { Flow, type FlowInput } from '../flow-schema';
import { $, when } from './build';

/** Two emails on one path: the path's title and body are settings passed to the template. */
function path(id: 'a' | 'b' | 'default') {
  const params = { 'path.title': $(`${id}Title`), 'path.body': $(`${id}Body`) };
  const recommend = { fill: 'bestselling' as const };
  return [
    { type: 'send_email' as const, id: `${id}_1`, template: $('pathTemplate'), params, recommend, next: `${id}_wait` },
    { type: 'wait' as const, id: `${id}_wait`, until: { kind: 'duration' as const, duration: $('followUpDelay') }, next: `${id}_2` },
    { type: 'send_email' as const, id: `${id}_2`, template: $('pathTemplate'), params: { ...params, 'path.step': 2 }, recommend },
  ];
}

/**
 * "Choose your path": the first email offers choices as links; the link the lead clicks decides
 * which emails follow. No click within the window → the default path. Any order ends the nurture.
 */
const definition: FlowInput = {
  schemaVersion: 1,
  id: 'lead-nurture',
  version: 1,
  name: 'Lead nurturing: choose your path',
  topics: ['news'],
  description: 'Lets new leads pick what they want to hear about, then follows their choice.',
  settings: {
    choiceTemplate: { kind: 'template', value: 'lead_nurture.choice', label: 'Choice email' },
    aLabel: { kind: 'text', value: 'I am just getting started', label: 'Choice A label' },
    bLabel: { kind: 'text', value: 'I know what I want', label: 'Choice B label' },
    clickWindow: { kind: 'duration', value: '3d', label: 'Wait for a choice for' },
    followUpDelay: { kind: 'duration', value: '3d', label: 'Second email of a path after' },
    pathTemplate: { kind: 'template', value: 'lead_nurture.path', label: 'Path email' },
    aTitle: { kind: 'text', value: 'Getting started', label: 'Path A title' },
    aBody: { kind: 'text', value: 'Our beginner guide and best-sellers.', label: 'Path A text' },
    bTitle: { kind: 'text', value: 'For experts', label: 'Path B title' },
    bBody: { kind: 'text', value: 'Advanced picks and pro tips.', label: 'Path B text' },
    defaultTitle: { kind: 'text', value: 'Our favourites', label: 'Default path title' },
    defaultBody: { kind: 'text', value: 'A tour of what our customers love.', label: 'Default path text' },
  },
  exitOn: [{ event: 'order.placed' }],
  reentry: { mode: 'once' },
  nodes: [
    {
      type: 'trigger',
      id: 'lead',
      on: { kind: 'event', event: 'identified', where: [when('contact', 'stats.ordersCount', 'eq', 0)] },
      next: 'choose',
    },
    {
      type: 'send_email',
      id: 'choose',
      template: $('choiceTemplate'),
      choices: [
        { key: 'a', label: $('aLabel') },
        { key: 'b', label: $('bLabel') },
      ],
      next: 'clicked',
    },
    {
      type: 'wait',
      id: 'clicked',
      until: { kind: 'event', event: 'message.clicked', fromNode: 'choose', timeout: $('clickWindow'), onTimeout: 'default_1' },
      next: 'route',
    },
    {
      type: 'branch',
      id: 'route',
      cases: [
        { when: [when('link', 'key', 'eq', 'a')], next: 'a_1' },
        { when: [when('link', 'key', 'eq', 'b')], next: 'b_1' },
      ],
      otherwise: 'default_1',
    },
    ...path('a'),
    ...path('b'),
    ...path('default'),
  ],
};

export const leadNurture: Flow = Flow.parse(definition);
