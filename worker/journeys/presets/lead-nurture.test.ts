import { describe, expect, it } from 'vitest';
import type { JourneyAction } from '../actions';
import { brief, effects, JourneySimulator, sampleContact } from '../simulate';
import { leadNurture } from './lead-nurture';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 8, 1, 10, 0);
const live = { ...leadNurture, enabled: true };

function start() {
  const s = new JourneySimulator([live], sampleContact(), T0);
  const [choice] = effects(s.emit({ type: 'identified' }));
  return { s, choice };
}

function click(s: JourneySimulator, choice: JourneyAction | undefined, linkKey: string, at: number) {
  const enrollmentId = choice?.type === 'send_email' ? choice.enrollmentId : '';
  return s.emit({ type: 'message.clicked', message: { enrollmentId, nodeId: 'choose', linkKey } }, at);
}

describe('lead-nurture preset', () => {
  it('offers the choices in the first email', () => {
    const { choice } = start();
    expect(choice).toMatchObject({
      template: 'lead_nurture.choice',
      choices: [
        { key: 'a', label: 'I am just getting started' },
        { key: 'b', label: 'I know what I want' },
      ],
    });
  });

  it('follows the path of the clicked link', () => {
    const { s, choice } = start();
    const first = effects(click(s, choice, 'b', T0 + DAY));
    expect(first).toMatchObject([{ template: 'lead_nurture.path', nodeId: 'b_1', params: { 'path.title': 'For experts' } }]);
    const second = effects(s.advanceTo(T0 + 4 * DAY));
    expect(second).toMatchObject([{ nodeId: 'b_2', params: { 'path.title': 'For experts', 'path.step': 2 } }]);
    expect(brief(s.advanceTo(T0 + 30 * DAY))).toEqual([]);
  });

  it('takes the default path when nothing is clicked within the window', () => {
    const { s } = start();
    expect(brief(s.advanceTo(T0 + 3 * DAY - 1))).toEqual([]);
    expect(effects(s.advanceTo(T0 + 3 * DAY))).toMatchObject([{ nodeId: 'default_1', params: { 'path.title': 'Our favourites' } }]);
    expect(effects(s.advanceTo(T0 + 6 * DAY))).toMatchObject([{ nodeId: 'default_2' }]);
  });

  it('sends a click on any other link down the default path', () => {
    const { s, choice } = start();
    expect(effects(click(s, choice, 'logo', T0 + DAY))).toMatchObject([{ nodeId: 'default_1' }]);
  });

  it('stops nurturing a lead who orders', () => {
    const { s, choice } = start();
    click(s, choice, 'a', T0 + DAY);
    s.emit({ type: 'order.placed' }, T0 + 2 * DAY);
    expect(brief(s.advanceTo(T0 + 30 * DAY))).toEqual([]);
  });
});
