import type { Child } from 'hono/jsx';
import type { Store } from '../../db/queries/stores';
import type { DashboardCopy, Lang } from '../copy';
import { SETTINGS_TABS, type SettingsField, type SettingsTab } from '../copy-settings';
import { CsrfField, Page, storePath, type PageProps } from '../layout';

/** Stacked fields: one column that fits a 390 px phone, wider inputs on a desktop. */
const STYLE = `.set-field{margin:.8rem 0}.set-field>label,.set-field legend{display:block;font-weight:600}
.set-field input:not([type=checkbox]),.set-field textarea{display:block;width:100%;max-width:34rem}
.set-field small{display:block;color:#5a6275}.set-field .field-error{padding-left:0}
.set-check label{font-weight:normal}.set-days{border:0;padding:0;margin:.8rem 0}.set-days label{display:inline-block;margin:.2rem .9rem .2rem 0}
.swatch{display:inline-block;width:1.4rem;height:1.4rem;border:1px solid #c6ccd8;border-radius:4px;vertical-align:middle;margin-left:.4rem}
.logo-preview img{max-height:64px;max-width:100%;height:auto}`;

export type FieldProps = {
  t: DashboardCopy;
  name: SettingsField;
  values: Record<string, string>;
  errors: Partial<Record<SettingsField, true>>;
};

const ids = (name: string) => ({ input: `f-${name}`, help: `f-${name}-help`, error: `f-${name}-error`, state: `f-${name}-state` });

/** The field's error, under it, in the page's language; the input points at it (aria-describedby). */
function FieldError(props: FieldProps) {
  return props.errors[props.name] ? <p id={ids(props.name).error} class="field-error">{props.t.settings.errors[props.name]}</p> : null;
}

function describedBy(props: FieldProps, ...extra: string[]): string | undefined {
  const help = (props.t.settings.help as Partial<Record<SettingsField, string>>)[props.name];
  const list = [...extra, ...(help ? [ids(props.name).help] : []), ...(props.errors[props.name] ? [ids(props.name).error] : [])];
  return list.length ? list.join(' ') : undefined;
}

function Help(props: FieldProps) {
  const help = (props.t.settings.help as Partial<Record<SettingsField, string>>)[props.name];
  return help ? <small id={ids(props.name).help}>{help}</small> : null;
}

export function TextField(props: FieldProps & { type?: 'text' | 'email' | 'url'; inputmode?: 'numeric' | 'email' | 'url' | 'tel'; autocomplete?: string; textarea?: boolean; after?: Child }) {
  const id = ids(props.name);
  const common = { id: id.input, name: props.name, 'aria-invalid': props.errors[props.name] ? 'true' : undefined, 'aria-describedby': describedBy(props) };
  return (
    <div class="set-field">
      <label for={id.input}>{props.t.settings.labels[props.name]}</label>
      {props.textarea ? (
        <textarea {...common} rows={3}>{props.values[props.name] ?? ''}</textarea>
      ) : (
        <input {...common} type={props.type ?? 'text'} inputmode={props.inputmode} autocomplete={props.autocomplete ?? 'off'} value={props.values[props.name] ?? ''} />
      )}
      {props.after}
      <Help {...props} />
      <FieldError {...props} />
    </div>
  );
}

export function CheckField(props: FieldProps) {
  const id = ids(props.name);
  return (
    <div class="set-field set-check">
      <label>
        <input type="checkbox" id={id.input} name={props.name} checked={props.values[props.name] === 'on'} aria-describedby={describedBy(props)} />
        {props.t.settings.labels[props.name]}
      </label>
      <Help {...props} />
      <FieldError {...props} />
    </div>
  );
}

/** Write-only: the stored value is never put back in the page, only whether it is set (and its last four characters). */
export function SecretField(props: FieldProps & { state: { set: boolean; last4?: string } }) {
  const s = props.t.settings.secret;
  const id = ids(props.name);
  const stateText = props.state.set ? (props.state.last4 ? s.set(props.state.last4) : s.setHidden) : s.unset;
  return (
    <div class="set-field">
      <label for={id.input}>{props.t.settings.labels[props.name]}</label>
      <small id={id.state}>{stateText}{props.state.set ? ` · ${s.keep}` : ''}</small>
      <input id={id.input} name={props.name} type="password" autocomplete="new-password" value="" aria-invalid={props.errors[props.name] ? 'true' : undefined} aria-describedby={describedBy(props, id.state)} />
      {props.state.set && (
        <label class="set-check">
          <input type="checkbox" name={`remove_${props.name}`} />
          {s.remove}
        </label>
      )}
      <FieldError {...props} />
    </div>
  );
}

export type SettingsShellProps = {
  t: DashboardCopy;
  lang: Lang;
  path: string;
  csrf: string;
  store: Store;
  tab: SettingsTab;
  notice?: PageProps['notice'];
  children?: Child;
  /** Shown under the tab's form, with forms of its own (the guardrails tab's segment rules). */
  after?: Child;
};

/** The settings page of one tab: sub-tabs, then one form posting to the tab's own path. */
export function SettingsShell(props: SettingsShellProps) {
  const { t, store, tab } = props;
  const tabPath = (key: SettingsTab) => storePath(store.id, `/settings/${key}`);
  return (
    <Page {...props} title={`${t.settings.title} · ${t.settings.tabs[tab]}`} store={store} active="settings">
      <style>{STYLE}</style>
      <nav class="tabs" aria-label={t.settings.title}>
        {SETTINGS_TABS.map((key) => (
          <a href={tabPath(key)} aria-current={key === tab ? 'page' : undefined}>{t.settings.tabs[key]}</a>
        ))}
      </nav>
      <form method="post" action={tabPath(tab)} novalidate>
        <CsrfField token={props.csrf} />
        {props.children}
        <button type="submit">{t.settings.save}</button>
      </form>
      {props.after}
    </Page>
  );
}
