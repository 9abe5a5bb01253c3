import { emptyJourneyState, type JourneyState } from '../../journeys/state';

/** Whose agent this is: its store and contact, remembered from the first event recorded. */
export type Identity = { storeId: string; contactId: string };

/**
 * The agent's small records in its own SQLite (`journey_kv`): whose agent it is, the journey state, and when every
 * journey was last ended. Identity and state come in one statement: a woken agent prepares each statement anew.
 */
export class JourneyKv {
  constructor(private readonly sql: SqlStorage) {}

  read(): { identity: Identity | null; state: JourneyState } {
    const rows = this.sql.exec<{ k: string; v: string }>("SELECT k, v FROM journey_kv WHERE k IN ('identity', 'state')").toArray();
    const value = (k: string) => rows.find((r) => r.k === k)?.v;
    const identity = value('identity');
    const state = value('state');
    return { identity: identity ? (JSON.parse(identity) as Identity) : null, state: state ? (JSON.parse(state) as JourneyState) : emptyJourneyState() };
  }

  /** The first identity stays: an agent is named after its contact and never changes hands. */
  remember(identity: Identity): void {
    this.sql.exec("INSERT OR IGNORE INTO journey_kv (k, v) VALUES ('identity', ?)", JSON.stringify(identity));
  }

  saveState(state: JourneyState): void {
    this.sql.exec("INSERT OR REPLACE INTO journey_kv (k, v) VALUES ('state', ?)", JSON.stringify(state));
  }

  endedAllAt(): number | null {
    const row = this.sql.exec<{ v: string }>("SELECT v FROM journey_kv WHERE k = 'ended_all_at'").toArray()[0];
    return row ? Number(row.v) : null;
  }

  markEndedAll(now: number): void {
    this.sql.exec("INSERT OR REPLACE INTO journey_kv (k, v) VALUES ('ended_all_at', ?)", String(now));
  }
}
