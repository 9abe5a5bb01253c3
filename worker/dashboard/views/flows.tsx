import type { FlowView } from '../../contacts/runtime/flow-admin';
import type { SettingListing } from '../../journeys/flow-patch';
import type { DashboardCopy, Lang } from '../copy';
import { flowText } from '../flow-copy';
import { CsrfField, Page, storePath, type PageProps, type StoreRef } from '../layout';
import { FlowSwitchSummary } from './onboarding';

/** Form field of a setting: `s.<key>`. */
export const settingField = (key: string) => `s.${key}`;

function SettingInput(props: { t: DashboardCopy; setting: SettingListing }) {
  const s = props.setting;
  const name = settingField(s.key);
  switch (s.kind) {
    case 'boolean':
      return <input type="checkbox" name={name} value="on" checked={s.value} />;
    case 'number':
      return <input type="number" name={name} value={String(s.value)} step="any" min={s.min} max={s.max} />;
    case 'channel':
      return (
        <select name={name}>
          {(['email', 'sms', 'none'] as const).map((ch) => (
            <option value={ch} selected={s.value === ch}>
              {ch}
            </option>
          ))}
        </select>
      );
    case 'list':
      return <textarea name={name} rows={3} cols={40} title={props.t.flows.listHelp}>{s.value.join('\n')}</textarea>;
    default:
      return <input type="text" name={name} value={s.value} size={30} />;
  }
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
            <span class="muted">({s.templateId})</span>
          </li>
        ))}
      </ul>
    </>
  );
}

function FlowForm(props: { t: DashboardCopy; lang: Lang; storeId: string; csrf: string; flow: FlowView; steps: FlowMessageLink[] }) {
  const { t, flow } = props;
  const text = flowText(flow.id, props.lang);
  return (
    <section id={`flow-${flow.id}`}>
      <h2>
        {text?.name ?? flow.name} <span class={`pill ${flow.enabled ? 'on' : ''}`}>{flow.enabled ? t.flows.enabled : t.flows.disabled}</span>{' '}
        <span class="muted">
          {t.flows.version} {flow.version}
        </span>
      </h2>
      {(text?.description ?? flow.description) && <p class="muted">{text?.description ?? flow.description}</p>}
      <form method="post" action={storePath(props.storeId, `/flows/${encodeURIComponent(flow.id)}`)}>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="version" value={String(flow.version)} />
        <label>
          <input type="checkbox" name="enabled" value="on" checked={flow.enabled} />
          {t.flows.enabled}
        </label>
        <h3>{t.flows.settings}</h3>
        {flow.settings.length === 0 && <p class="muted">{t.flows.noSettings}</p>}
        {flow.settings.map((s) => (
          <label class="setting">
            <span>
              {text?.labels[s.key] ?? s.label}
              {s.help && <small>{s.help}</small>}
            </span>
            <SettingInput t={t} setting={s} />
          </label>
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
  store: StoreRef;
  flows: FlowView[];
  /** Each flow's email and SMS steps, linked to their editor. */
  messages?: Record<string, FlowMessageLink[]>;
  notice?: PageProps['notice'];
};

export function FlowsPage(props: FlowsProps) {
  return (
    <Page {...props} title={props.t.flows.title} active="flows">
      <FlowSwitchSummary t={props.t} enabled={props.flows.filter((f) => f.enabled).length} total={props.flows.length} />
      {props.flows.map((flow) => (
        <FlowForm t={props.t} lang={props.lang} storeId={props.store.id} csrf={props.csrf} flow={flow} steps={props.messages?.[flow.id] ?? []} />
      ))}
    </Page>
  );
}
