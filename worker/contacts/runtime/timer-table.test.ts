import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ensureSchema, forgetSchema, schemaNames } from './storage-schema';
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

describe('an agent\'s schema, read once per object', () => {
  it('runs a CREATE only for names the object lacks, and reads the schema again after deleteAll', async () => {
    await runInDurableObject(agent('schema:once'), async (_instance, state) => {
      const storage = state.storage;
      const tables = () => storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray().map((r) => r.name);
      // The constructor already made the agent's tables and read the schema once.
      expect(schemaNames(storage).has('timers') && schemaNames(storage).has('timers_due')).toBe(true);
      ensureSchema(storage, ['probe'], 'CREATE TABLE IF NOT EXISTS probe (a INTEGER)');
      expect(tables()).toContain('probe');
      // Dropped behind the helper's back: it still counts it as there, so nothing is prepared again.
      storage.sql.exec('DROP TABLE probe');
      ensureSchema(storage, ['probe'], 'CREATE TABLE IF NOT EXISTS probe (a INTEGER)');
      expect(tables()).not.toContain('probe');
      forgetSchema(storage);
      ensureSchema(storage, ['probe'], 'CREATE TABLE IF NOT EXISTS probe (a INTEGER)');
      expect(tables()).toContain('probe');
    });
  });

  it('erasure leaves a marker the next instance sees, and the erased agent records nothing', async () => {
    const stub = agent('schema:erased');
    await stub.erase();
    await runInDurableObject(stub, async (_instance, state) => {
      expect(state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray().map((r) => r.name)).toContain('erased_contact');
    });
    expect(await stub.recordEvents([])).toEqual([]);
    expect(await stub.listEvents()).toEqual([]);
  });
});
