import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { TimerTable } from './timer-table';

function agent(name: string) {
  return env.CONTACT_AGENT.get(env.CONTACT_AGENT.idFromName(name));
}

describe('TimerTable', () => {
  it('keeps the single alarm on the earliest timer', async () => {
    await runInDurableObject(agent('timers:earliest'), async (_instance, state) => {
      const timers = new TimerTable(state.storage);
      timers.schedule({ id: 'b', dueAt: 5_000_000_000_000, kind: 'step', payload: '{}' });
      timers.schedule({ id: 'a', dueAt: 4_000_000_000_000, kind: 'step', payload: '{}' });
      await timers.arm();
      expect(await state.storage.getAlarm()).toBe(4_000_000_000_000);

      timers.cancel('a');
      await timers.arm();
      expect(await state.storage.getAlarm()).toBe(5_000_000_000_000);

      timers.cancel('b');
      await timers.arm();
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });

  it('returns due timers in order and replaces a timer scheduled twice', async () => {
    await runInDurableObject(agent('timers:due'), async (_instance, state) => {
      const timers = new TimerTable(state.storage);
      timers.schedule({ id: 'late', dueAt: 300, kind: 'k', payload: '3' });
      timers.schedule({ id: 'first', dueAt: 100, kind: 'k', payload: '1' });
      timers.schedule({ id: 'first', dueAt: 200, kind: 'k', payload: '2' });
      expect(timers.due(250).map((t) => [t.id, t.payload])).toEqual([['first', '2']]);
      expect(timers.list()).toHaveLength(2);
    });
  });

  it('does not delete a timer that was rescheduled while its work ran', async () => {
    await runInDurableObject(agent('timers:complete'), async (_instance, state) => {
      const timers = new TimerTable(state.storage);
      timers.schedule({ id: 't', dueAt: 100, kind: 'k', payload: '' });
      const [running] = timers.due(100);
      timers.schedule({ id: 't', dueAt: 900, kind: 'k', payload: '' });
      timers.complete(running!);
      expect(timers.list().map((t) => t.dueAt)).toEqual([900]);
      timers.complete({ id: 't', dueAt: 900, kind: 'k', payload: '' });
      expect(timers.list()).toEqual([]);
    });
  });

  it('cancels every timer of one enrollment by prefix, and only those', async () => {
    await runInDurableObject(agent('timers:prefix'), async (_instance, state) => {
      const timers = new TimerTable(state.storage);
      for (const id of ['enr1:wait', 'enr1:sms', 'enr10:wait', 'enr2:wait']) {
        timers.schedule({ id, dueAt: 100, kind: 'k', payload: '' });
      }
      timers.cancelPrefix('enr1:');
      expect(timers.list().map((t) => t.id)).toEqual(['enr10:wait', 'enr2:wait']);
    });
  });
});
