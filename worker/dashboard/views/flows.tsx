import type { Child } from 'hono/jsx';
import type { FlowView } from '../../contacts/runtime/flow-admin';
import type { SettingListing } from '../../journeys/flow-patch';
import { localizeShippedText } from '../../messaging/templates';
import type { DashboardCopy, Lang } from '../copy';
import { formatDuration } from '../i18n/duration';
import { formatNumber } from '../i18n/format';
import { flowText, type FlowText } from '../flow-copy';
import { CsrfField, FieldError, Page, storePath, type PageProps, type StoreRef } from '../layout';
import { FlowSwitchSummary } from './onboarding';
import { FlowResultsSummary } from './flow-results';

type FlowFigures = { sent: number; converted: number; revenue: number };
const NO_FIGURES: FlowFigures = { sent: 0, converted: 0, revenue: 0 };

/** Form field of a setting: `s.<key>`. */
export const settingField = (key: string) => `s.${key}`;

/** What the admin typed into a refused form, and why each field was refused. */
export type FlowFormState = { flowId: string; values: Record<string, string>; errors: Record<string, string[]> };

type InputProps = { t: DashboardCopy; lang: Lang; setting: SettingListing; id: string; raw: string | undefined; describedBy: string | undefined; invalid: boolean };

/** The value shown in the field: what was typed when the form came back refused, else the setting's value in the admin's words. */
function shown(p: InputProps): string {
  const s = p.setting;
  if (p.raw !== undefined) return p.raw;
  if (s.kind === 'duration') return formatDuration(s.value, p.lang);
  if (s.kind === 'list') return s.value.join('\n');
  return String(s.value);
}

function SettingInput(p: InputProps) {
  const s = p.setting;
  const common = { id: p.id, name: settingField(s.key), 'aria-describedby': p.describedBy, 'aria-invalid': p.invalid ? 'true' : undefined };
  switch (s.kind) {
    case 'boolean':
      return <input type="checkbox" {...common} value="on" checked={p.raw === undefined ? s.value : p.raw === 'on'} />;
    case 'channel':
      return (
        <select {...common}>
          {(['email', 'sms', 'none'] as const).map((ch) => (
            <option value={ch} selected={shown(p) === ch}>
              {p.t.values.channel[ch]}
            </option>
          ))}
        </select>
      );
    case 'list':
      return <textarea {...common} rows={3}>{shown(p)}</textarea>;
    case 'number':
      return <input type="text" inputmode="decimal" {...common} value={shown(p)} size={8} />;
    default:
      return <input type="text" {...common} value={shown(p)} size={s.kind === 'text' || s.kind === 'template' ? 30 : 14} />;
  }
}

/** The hint under a setting's label: its own help, the format a kind expects, and a shipped default's French wording. */
function hints(t: DashboardCopy, lang: Lang, s: SettingListing, text: FlowText | undefined): string[] {
  const out: string[] = [];
  const help = text?.help[s.key] ?? s.help;
  if (help) out.push(help);
  if (s.kind === 'number' && (s.min !== undefined || s.max !== undefined)) {
    const n = (v: number | undefined) => (v === undefined ? null : formatNumber(lang, v));
    out.push(t.flows.range(n(s.min), n(s.max)));
  }
  if (s.kind === 'duration') out.push(t.flows.durationHelp);
  if (s.kind === 'time') out.push(t.flows.timeHelp);
  if (s.kind === 'template') out.push(t.flows.templateHelp);
  if (s.kind === 'list') out.push(t.flows.listHelp);
  if (s.kind === 'text' && localizeShippedText(s.value, 'fr') !== s.value) out.push(t.flows.shippedText(localizeShippedText(s.value, 'fr')));
  return out;
}

function Setting(props: { t: DashboardCopy; lang: Lang; flowId: string; setting: SettingListing; text: FlowText | undefined; state: FlowFormState | undefined }) {
  const { t, lang, setting: s, state } = props;
  const id = `f-${props.flowId}-${s.key}`;
  const errors = state?.errors[s.key] ?? [];
  const help = hints(t, lang, s, props.text);
  const describedBy = [errors.length > 0 ? `${id}-err` : '', help.length > 0 ? `${id}-help` : ''].filter(Boolean).join(' ') || undefined;
  // A refused form keeps every typed value; an unticked checkbox is absent from it.
  const raw = state ? (state.values[settingField(s.key)] ?? (s.kind === 'boolean' ? '' : undefined)) : undefined;
  return (
    <div class={`setting${errors.length > 0 ? ' invalid' : ''}`}>
      <span>
        <label for={id}>{props.text?.labels[s.key] ?? s.label}</label>
        {help.length > 0 && <small id={`${id}-help`}>{help.join(' · ')}</small>}
      </span>
      <span>
        <SettingInput t={t} lang={lang} setting={s} id={id} raw={raw} describedBy={describedBy} invalid={errors.length > 0} />
        <FieldError id={`${id}-err`} errors={errors} />
      </span>
    </div>
  );
}

export type FlowMessageLink = { stepId: string; channel: 'email' | 'sms'; templateId: string };

function MessageLinks(props: { t: DashboardCopy; storeId: string; flowId: string; steps: FlowMessageLink[] }) {
  const { t } = props;
  if (props.steps.length === 0) return null;
  return (
    <>
      <h3>{t.editor.messages}</h3>
      <ul class="steps">
        {props.steps.map((s) => (
          <li>
            <a href={storePath(props.storeId, `/flows/${encodeURIComponent(props.flowId)}/messages/${encodeURIComponent(s.stepId)}`)}>
              {t.editor.edit} · {t.editor.channel[s.channel]} {s.stepId}
            </a>{' '}
            <code class="muted">{s.templateId}</code>
          </li>
        ))}
      </ul>
    </>
  );
}

function FlowForm(props: { t: DashboardCopy; lang: Lang; storeId: string; csrf: string; flow: FlowView; steps: FlowMessageLink[]; state: FlowFormState | undefined; results?: Child }) {
  const { t, flow, state } = props;
  const text = flowText(flow.id, props.lang);
  const enabled = state ? state.values.enabled === 'on' : flow.enabled;
  return (
    <section id={`flow-${flow.id}`}>
      <h2>
        {text?.name ?? flow.name} <span class={`pill ${flow.enabled ? 'on' : ''}`}>{flow.enabled ? t.flows.enabled : t.flows.disabled}</span>{' '}
        <span class="muted">
          {t.flows.version} {flow.version}
        </span>
      </h2>
      {(text?.description ?? flow.description) && <p class="muted">{text?.description ?? flow.description}</p>}
      {props.results && <p>{props.results}</p>}
      <p>
        <a href={storePath(props.storeId, `/flows/${encodeURIComponent(flow.id)}/results#ab`)}>{t.results.start.runningLink}</a>
      </p>
      <form method="post" action={storePath(props.storeId, `/flows/${encodeURIComponent(flow.id)}`)}>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="version" value={String(flow.version)} />
        <label>
          <input type="checkbox" name="enabled" value="on" checked={enabled} />
          {t.flows.enable}
        </label>
        <h3>{t.flows.settings}</h3>
        {flow.settings.length === 0 && <p class="muted">{t.flows.noSettings}</p>}
        {flow.settings.map((s) => (
          <Setting t={t} lang={props.lang} flowId={flow.id} setting={s} text={text} state={state} />
        ))}
        <p>
          <button type="submit">{t.flows.save}</button>
        </p>
      </form>
      <MessageLinks t={t} storeId={props.storeId} flowId={flow.id} steps={props.steps} />
    </section>
  );
}

export type FlowsProps = {
  t: DashboardCopy;
  lang: Lang;
  path: string;
  csrf: string;
  store: StoreRef & { currency: string | null };
  flows: FlowView[];
  /** Each flow's email and SMS steps, linked to their editor. */
  messages?: Record<string, FlowMessageLink[]>;
  /** The refused form, shown again with its values and field-level errors. */
  state?: FlowFormState;
  /** Each flow's sent, conversions and credited revenue over the last 30 days (from the rollups). */
  results?: Record<string, FlowFigures>;
  notice?: PageProps['notice'];
};

export function FlowsPage(props: FlowsProps) {
  return (
    <Page {...props} title={props.t.flows.title} active="flows">
      <FlowSwitchSummary t={props.t} enabled={props.flows.filter((f) => f.enabled).length} total={props.flows.length} />
      {props.flows.map((flow) => (
        <FlowForm
          t={props.t}
          lang={props.lang}
          storeId={props.store.id}
          csrf={props.csrf}
          flow={flow}
          steps={props.messages?.[flow.id] ?? []}
          state={props.state?.flowId === flow.id ? props.state : undefined}
          results={props.results && <FlowResultsSummary t={props.t} lang={props.lang} store={props.store} flowId={flow.id} figures={props.results[flow.id] ?? NO_FIGURES} />}
        />
      ))}
    </Page>
  );
}
