import type { FlowExperimentResults } from '../../experiments/flow-results';
import type { FlowStats } from '../../measurement/flow-stats';
import type { DashboardCopy, Lang } from '../copy';
import { exitReasonLabel } from '../copy-values';
import { flowName } from '../flow-copy';
import { Page, storePath } from '../layout';
import { ExperimentPanels, StartTestForm, type ReusableStep, type StartTestState } from './flow-experiments';
import { DailyChart, FunnelChart, money, percent, Table } from './results-charts';

type StoreView = { id: string; name: string; currency: string | null };
type Common = { t: DashboardCopy; lang: Lang; path: string; csrf: string; store: StoreView };
type Figures = FlowStats['totals'];

const KEY_FIGURES = ['entered', 'sent', 'delivered', 'openedHuman', 'openedMachine', 'clicked', 'clickedFiltered', 'converted', 'unsubscribed', 'complained', 'bounced', 'exited', 'completed', 'goalReached'] as const;
const FUNNEL = ['sent', 'openedHuman', 'clicked', 'converted'] as const;

export function currencyOf(store: StoreView): string {
  return store.currency ?? 'EUR';
}

/** The flows list's results cell: sent, conversion and revenue credited, linking to the results page. */
export function FlowResultsSummary(props: { t: DashboardCopy; lang: Lang; store: StoreView; flowId: string; figures: Pick<Figures, 'sent' | 'converted' | 'revenue'> }) {
  const { t, lang, figures: f } = props;
  const conversion = f.sent > 0 ? f.converted / f.sent : null;
  return (
    <a href={storePath(props.store.id, `/flows/${encodeURIComponent(props.flowId)}/results`)} class="results-summary">
      {f.sent} {t.results.summary.sent} · {percent(lang, conversion)} {t.results.summary.conversion} · {money(lang, currencyOf(props.store), f.revenue)} {t.results.summary.revenue}
    </a>
  );
}

/** A chart's figures as a table, folded under it: the text alternative a screen reader or a copy-paste wants. */
function TableAlt(props: { summary: string; headers: string[]; rows: string[][] }) {
  return (
    <details>
      <summary>{props.summary}</summary>
      <Table headers={props.headers} rows={props.rows} />
    </details>
  );
}

function RangeForm(props: Common & { stats: FlowStats }) {
  const r = props.t.results;
  return (
    <form method="get" class="actions" aria-label={r.range}>
      <label>
        {r.from} <input type="date" name="from" value={props.stats.range.from} required />
      </label>
      <label>
        {r.to} <input type="date" name="to" value={props.stats.range.to} required />
      </label>
      <button type="submit">{r.show}</button>
    </form>
  );
}

function KeyFigures(props: Common & { stats: FlowStats }) {
  const { t, lang, stats } = props;
  const f = stats.totals;
  return (
    <section>
      <h2>{t.results.totals}</h2>
      <dl>
        {KEY_FIGURES.map((key) => [<dt>{t.results.figures[key]}</dt>, <dd>{String(f[key])}</dd>])}
        <dt>{t.results.figures.revenue}</dt>
        <dd>{money(lang, currencyOf(props.store), f.revenue)}</dd>
        <dt>{t.results.conversion}</dt>
        <dd>{percent(lang, f.rates.converted)}</dd>
        <dt>{t.results.perRecipient}</dt>
        <dd>{f.rates.revenuePerRecipient === null ? '—' : money(lang, currencyOf(props.store), f.rates.revenuePerRecipient)}</dd>
      </dl>
    </section>
  );
}

function Funnel(props: Common & { stats: FlowStats }) {
  const { t, lang, stats } = props;
  const r = t.results;
  const label = (s: FlowStats['steps'][number]) => s.label ?? s.stepId;
  return (
    <section>
      <h2>{r.funnel}</h2>
      <FunnelChart id="funnel" title={r.funnel} desc={r.funnelDesc(stats.steps.length)} series={FUNNEL.map((k) => r.figures[k])} rows={stats.steps.map((s) => ({ label: label(s), values: FUNNEL.map((k) => s[k]) }))} />
      <TableAlt
        summary={r.tableAlt}
        headers={[r.step, ...FUNNEL.map((k) => r.figures[k]), r.figures.revenue, r.conversion]}
        rows={stats.steps.map((s) => [label(s), ...FUNNEL.map((k) => String(s[k])), money(lang, currencyOf(props.store), s.revenue), percent(lang, s.rates.converted)])}
      />
    </section>
  );
}

function Daily(props: Common & { stats: FlowStats }) {
  const { t, lang, stats } = props;
  const r = t.results;
  const cur = currencyOf(props.store);
  const maxRevenue = Math.max(0, ...stats.daily.map((d) => d.revenue));
  return (
    <section>
      <h2>{r.daily}</h2>
      <DailyChart id="daily" title={r.daily} desc={r.dailyDesc(stats.daily.length, stats.totals.sent, stats.totals.converted, money(lang, cur, stats.totals.revenue))} points={stats.daily} maxRevenueLabel={money(lang, cur, maxRevenue)} />
      <TableAlt summary={r.tableAlt} headers={[r.day, r.figures.sent, r.figures.converted, r.figures.revenue]} rows={stats.daily.map((d) => [d.day, String(d.sent), String(d.converted), money(lang, cur, d.revenue)])} />
    </section>
  );
}

function VersionsAndExits(props: Common & { stats: FlowStats }) {
  const { t, lang, stats } = props;
  const r = t.results;
  return (
    <>
      <section>
        <h2>{r.versions}</h2>
        <Table headers={[r.version, r.figures.entered, r.figures.sent, r.conversion]} rows={stats.versions.map((v) => [String(v.version), String(v.entered), String(v.sent), percent(lang, v.rates.converted)])} />
      </section>
      <section>
        <h2>{r.exits}</h2>
        {stats.exits.length === 0 ? (
          <p class="muted">{r.noExits}</p>
        ) : (
          <Table headers={[r.reason, r.count]} rows={stats.exits.map((e) => [exitReasonLabel(props.t.values.exitReason, e.reason), String(e.count)])} />
        )}
      </section>
    </>
  );
}

/** The flow's tests and holdout, and the form that starts a test when none runs. */
export type FlowTests = { results: FlowExperimentResults; version: number; running: boolean; steps: ReusableStep[]; state?: StartTestState };

/** /admin/stores/:store/flows/:flow/results: the figures of GET /api/flows/:id/stats, drawn for an owner. */
export function FlowResultsPage(props: Common & { stats: FlowStats; tests: FlowTests; notice?: { kind: 'notice' | 'error'; text: string } }) {
  const { t, stats } = props;
  const r = t.results;
  const a = stats.attribution;
  return (
    <Page {...props} title={r.title(flowName(stats.flow.id, props.lang, stats.flow.name))} active="flows">
      <RangeForm {...props} />
      {stats.totals.entered + stats.totals.sent + stats.totals.converted === 0 && <p class="banner info">{r.empty}</p>}
      <KeyFigures {...props} />
      <ExperimentPanels {...props} flowId={stats.flow.id} results={props.tests.results} />
      {!props.tests.running && <StartTestForm {...props} flowId={stats.flow.id} version={props.tests.version} steps={props.tests.steps} state={props.tests.state} />}
      <Funnel {...props} />
      <Daily {...props} />
      <VersionsAndExits {...props} />
      <section>
        <p>{r.method(a.emailClickHours, a.emailOpenHours, a.smsClickHours)}</p>
        <p class="muted">{r.openNote(stats.method.machineOpenSeconds, stats.method.scannerClickSeconds)}</p>
        <p>
          <a href={storePath(props.store.id, '/attribution')}>{r.editWindows}</a>
        </p>
      </section>
    </Page>
  );
}
