import type { Comparison } from '../../experiments/compare';
import type { ExperimentResults, FlowExperimentResults, HoldoutResults } from '../../experiments/flow-results';
import type { DashboardCopy, Lang } from '../copy';
import { formatNumber } from '../i18n/format';
import { CsrfField, FieldError, storePath } from '../layout';
import { IntervalChart, money, percent, Table } from './results-charts';

type StoreView = { id: string; name: string; currency: string | null };
type Common = { t: DashboardCopy; lang: Lang; csrf: string; store: StoreView };

/** A step branch B may reuse, as the start form lists it. */
export type ReusableStep = { id: string; kind: 'send_email' | 'send_sms' | 'issue_coupon'; template: string | null };
/** What the owner typed into a refused start form, and why. */
export type StartTestState = { values: Record<string, string>; errors: Record<string, string[]> };

export const START_SLOTS = 6;

/** "+3.2 %" style signed share; an interval bound reads the same way. */
function signed(lang: Lang, share: number): string {
  return `${share > 0 ? '+' : ''}${percent(lang, share)}`;
}

function differenceText(t: DashboardCopy, lang: Lang, c: Comparison): string {
  return t.results.tests.interval(signed(lang, c.difference.estimate), signed(lang, c.difference.low), signed(lang, c.difference.high));
}

function relativeText(t: DashboardCopy, lang: Lang, c: Comparison): string {
  const r = c.relativeLift;
  return r.estimate === null ? '—' : t.results.tests.interval(signed(lang, r.estimate), signed(lang, r.low), Number.isFinite(r.high) ? signed(lang, r.high) : '∞');
}

function Verdict(props: { t: DashboardCopy; lang: Lang; test: ExperimentResults }) {
  const s = props.t.results.tests;
  const v = props.test.verdict;
  if (v.kind === 'winner') return <p class="banner notice">{s.winner(v.branch)}</p>;
  return <p class="banner info">{v.moreContactsNeeded === null ? s.unknownNeed : s.needMore(formatNumber(props.lang, v.moreContactsNeeded))}</p>;
}

function EndForm(props: Common & { flowId: string; test: ExperimentResults }) {
  const s = props.t.results.tests;
  const action = storePath(props.store.id, `/flows/${encodeURIComponent(props.flowId)}/experiments/${encodeURIComponent(props.test.experiment)}/end`);
  const suggested = props.test.verdict.kind === 'winner' ? props.test.verdict.branch : props.test.control;
  return (
    <form method="post" action={action} class="end-test">
      <h4>{s.endTitle}</h4>
      <p class="muted">{s.endHelp}</p>
      <CsrfField token={props.csrf} />
      <fieldset>
        <legend>{s.endWinner}</legend>
        {props.test.branches.map((b) => (
          <label>
            <input type="radio" name="winner" value={b.key} checked={b.key === suggested} required /> {b.key}
          </label>
        ))}
      </fieldset>
      <label>
        <input type="checkbox" name="confirm" value="on" required /> {s.endConfirm}
      </label>
      <p>
        <button type="submit">{s.endSubmit}</button>
      </p>
    </form>
  );
}

function TestPanel(props: Common & { flowId: string; test: ExperimentResults; goalWindowDays: number }) {
  const { t, lang, test } = props;
  const s = t.results.tests;
  const cur = props.store.currency ?? 'EUR';
  const id = `test-${test.experiment}`;
  const challengers = test.branches.filter((b) => b.vsControl !== null);
  return (
    <section id={id}>
      <h3>{test.status === 'running' ? s.running(test.experiment) : s.ended(test.experiment, test.chosen ?? '')}</h3>
      <Table
        headers={[s.branch, s.weight, s.recipients, s.conversions, s.rate, s.vsControl, s.perRecipient]}
        rows={test.branches.map((b) => [
          b.key === test.control ? s.control(b.key) : b.key,
          b.weight === null ? '—' : formatNumber(lang, b.weight),
          String(b.entered),
          String(b.converted),
          percent(lang, b.conversionRate),
          b.vsControl ? differenceText(t, lang, b.vsControl) : '—',
          b.revenuePerRecipient === null ? '—' : money(lang, cur, b.revenuePerRecipient),
        ])}
      />
      {challengers.length > 0 && (
        <IntervalChart
          id={`${id}-chart`}
          title={s.chart}
          desc={s.chartDesc(challengers.length)}
          rows={challengers.map((b) => ({ label: b.key, ...b.vsControl!.difference, text: differenceText(t, lang, b.vsControl!) }))}
        />
      )}
      <p class="muted">{s.goalWindow(props.goalWindowDays)}</p>
      <Verdict t={t} lang={lang} test={test} />
      {test.status === 'running' && <EndForm {...props} />}
    </section>
  );
}

export function HoldoutPanel(props: Common & { holdout: HoldoutResults }) {
  const { t, lang, holdout: h } = props;
  const s = t.results.holdout;
  const cur = props.store.currency ?? 'EUR';
  const groups: [string, HoldoutResults['treated']][] = [[s.treated, h.treated], [s.heldOut, h.heldOut]];
  return (
    <section id="holdout">
      <h2>{s.title}</h2>
      <p>{h.percent > 0 ? s.share(h.percent) : s.off}</p>
      <Table
        headers={[s.group, s.entered, s.converted, t.results.tests.rate, t.results.tests.perRecipient]}
        rows={groups.map(([name, g]) => [name, String(g.entered), String(g.converted), percent(lang, g.conversionRate), g.revenuePerRecipient === null ? '—' : money(lang, cur, g.revenuePerRecipient)])}
      />
      <dl>
        <dt>{s.lift}</dt>
        <dd>{differenceText(t, lang, h.lift)}</dd>
        <dt>{s.relative}</dt>
        <dd>{relativeText(t, lang, h.lift)}</dd>
        <dt>{s.incremental}</dt>
        <dd>{h.incrementalRevenue === null ? '—' : money(lang, cur, h.incrementalRevenue)}</dd>
      </dl>
      <IntervalChart id="holdout-chart" title={s.chart} desc={s.chartDesc} rows={[{ label: s.treated, ...h.lift.difference, text: differenceText(t, lang, h.lift) }]} />
      <p>{h.lift.significant ? s.confirmed : s.unconfirmed}</p>
    </section>
  );
}

function StepSlot(props: { t: DashboardCopy; n: number; steps: ReusableStep[]; state: StartTestState | undefined }) {
  const s = props.t.results.start;
  const chosen = props.state?.values[`step${props.n}`] ?? '';
  const waitErrors = props.state?.errors[`wait${props.n}`] ?? [];
  return (
    <div class="setting">
      <label for={`ab-step${props.n}`}>{s.step(props.n)}</label>
      <select id={`ab-step${props.n}`} name={`step${props.n}`}>
        <option value="">{s.none}</option>
        {props.steps.map((step) => (
          <option value={step.id} selected={chosen === step.id}>{`${s.kinds[step.kind]} ${step.id}${step.template ? ` · ${step.template}` : ''}`}</option>
        ))}
      </select>
      <label for={`ab-wait${props.n}`}>{s.wait(props.n)}</label>
      <span>
        <input id={`ab-wait${props.n}`} name={`wait${props.n}`} type="text" size={10} value={props.state?.values[`wait${props.n}`] ?? ''} aria-invalid={waitErrors.length > 0 ? 'true' : undefined} aria-describedby={waitErrors.length > 0 ? `ab-wait${props.n}-err` : undefined} />
        <FieldError id={`ab-wait${props.n}-err`} errors={waitErrors} />
      </span>
    </div>
  );
}

/** Starts an A/B test of two sequences: branch A the flow as it is, branch B built from its shipped steps. */
export function StartTestForm(props: Common & { flowId: string; version: number; steps: ReusableStep[]; state: StartTestState | undefined }) {
  const { t } = props;
  const s = t.results.start;
  const errors = props.state?.errors ?? {};
  const value = (key: string, fallback: string) => props.state?.values[key] ?? fallback;
  return (
    <section id="ab">
      <h2>{s.title}</h2>
      <p class="muted">{s.help}</p>
      <form method="post" action={storePath(props.store.id, `/flows/${encodeURIComponent(props.flowId)}/experiments`)}>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="version" value={String(props.version)} />
        <div class="setting">
          <label for="ab-name">{s.name}</label>
          <span>
            <input id="ab-name" name="experiment" type="text" size={20} value={value('experiment', `test-${props.version + 1}`)} aria-describedby="ab-name-help" />
            <small id="ab-name-help">{s.nameHelp}</small>
            <FieldError id="ab-name-err" errors={errors.experiment} />
          </span>
        </div>
        {Array.from({ length: START_SLOTS }, (_, i) => (
          <StepSlot t={t} n={i + 1} steps={props.steps} state={props.state} />
        ))}
        <FieldError id="ab-steps-err" errors={errors.steps} />
        <div class="setting">
          <label for="ab-weight">{s.weightA}</label>
          <span>
            <input id="ab-weight" name="weightA" type="number" min="1" max="99" step="1" value={value('weightA', '50')} />
            <FieldError id="ab-weight-err" errors={errors.weightA} />
          </span>
        </div>
        <p>
          <button type="submit">{s.submit}</button>
        </p>
      </form>
    </section>
  );
}

/** The flow page's test and holdout panels: each test (running or ended) with its branches, then the holdout. */
export function ExperimentPanels(props: Common & { flowId: string; results: FlowExperimentResults }) {
  const r = props.results;
  return (
    <>
      {r.experiments.length > 0 && (
        <section>
          <h2>{props.t.results.tests.title}</h2>
          {r.experiments.map((test) => (
            <TestPanel {...props} test={test} goalWindowDays={r.goalWindowDays} />
          ))}
        </section>
      )}
      <HoldoutPanel {...props} holdout={r.holdout} />
    </>
  );
}
