import type { Rendered } from '../../editor/messages';
import type { MessageVersion } from '../../db/queries/message-versions';
import type { TemplateSource } from '../../messaging/templates';
import { formatDate, type DashboardCopy, type Lang } from '../copy';
import { flowName } from '../flow-copy';
import { CsrfField, Page, storePath, type PageProps, type StoreRef } from '../layout';

/** The form's fields: an email's four sources (an SMS uses `text` only). */
export type EditorFields = TemplateSource;
export type EditorProps = {
  t: DashboardCopy;
  lang: Lang;
  path: string;
  csrf: string;
  store: StoreRef & { timezone: string };
  flow: { id: string; name: string };
  step: { stepId: string; channel: 'email' | 'sms' };
  msgLang: 'fr' | 'en';
  custom: boolean;
  fields: EditorFields;
  errors: Partial<Record<keyof EditorFields, string[]>>;
  contactId: string;
  preview: Rendered | null;
  versions: MessageVersion[];
  notice?: PageProps['notice'];
};

export const editorPath = (storeId: string, flowId: string, stepId: string) => storePath(storeId, `/flows/${encodeURIComponent(flowId)}/messages/${encodeURIComponent(stepId)}`);

function Field(props: { name: keyof EditorFields; label: string; value: string; errors: string[] | undefined; rows?: number }) {
  const id = `f-${props.name}`;
  const errId = `${id}-err`;
  const invalid = props.errors && props.errors.length > 0;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.rows ? (
        <textarea id={id} name={props.name} rows={props.rows} aria-invalid={invalid ? 'true' : undefined} aria-describedby={invalid ? errId : undefined}>{props.value}</textarea>
      ) : (
        <input id={id} type="text" name={props.name} value={props.value} aria-invalid={invalid ? 'true' : undefined} aria-describedby={invalid ? errId : undefined} />
      )}
      {invalid && (
        <ul id={errId} class="field-error" role="alert">
          {props.errors!.map((e) => <li>{e}</li>)}
        </ul>
      )}
    </div>
  );
}

/** The rendered email at two widths, each in a sandboxed frame: no script, no navigation, no same-origin access. */
export function Preview(props: { t: DashboardCopy; preview: Rendered }) {
  const { t, preview: p } = props;
  if (p.channel === 'sms') {
    return (
      <section id="preview">
        <h2>{t.editor.previewTitle}</h2>
        <pre class="sms-preview">{p.text}</pre>
        <p class="muted" id="sms-length">{t.editor.smsLength(p.sms.length, p.sms.encoding, p.sms.segments)}</p>
      </section>
    );
  }
  return (
    <section id="preview">
      <h2>{t.editor.previewTitle}</h2>
      <dl>
        <dt>{t.editor.subject}</dt>
        <dd id="preview-subject">{p.subject}</dd>
        <dt>{t.editor.preheader}</dt>
        <dd>{p.preheader}</dd>
      </dl>
      <div class="previews">
        <figure class="desktop">
          <figcaption>{t.editor.desktop}</figcaption>
          <iframe sandbox="" referrerpolicy="no-referrer" title={`${t.editor.previewTitle} · ${t.editor.desktop}`} srcdoc={p.html}></iframe>
        </figure>
        <figure class="phone">
          <figcaption>{t.editor.phone}</figcaption>
          <iframe sandbox="" referrerpolicy="no-referrer" title={`${t.editor.previewTitle} · ${t.editor.phone}`} srcdoc={p.html}></iframe>
        </figure>
      </div>
      <h3>{t.outbox.text}</h3>
      <pre>{p.text}</pre>
    </section>
  );
}

function Versions(props: EditorProps & { action: string }) {
  const { t, lang, store } = props;
  const restore = (label: string, version?: number) => (
    <form method="post" action={props.action} class="inline">
      <CsrfField token={props.csrf} />
      <input type="hidden" name="do" value="restore" />
      {version !== undefined && <input type="hidden" name="version" value={String(version)} />}
      <button type="submit" class="secondary">{label}</button>
    </form>
  );
  return (
    <section id="versions">
      <h2>{t.editor.versions}</h2>
      {props.custom && restore(t.editor.restoreDefault)}
      {props.versions.length === 0 ? (
        <p class="muted">{t.editor.noVersions}</p>
      ) : (
        <div class="scroll">
          <table>
            <thead><tr><th>{t.editor.version}</th><th>{t.editor.when}</th><th>{t.editor.content}</th><th></th></tr></thead>
            <tbody>
              {props.versions.map((v, i) => (
                <tr>
                  <td data-label={t.editor.version}>{v.version}</td>
                  <td data-label={t.editor.when}>{formatDate(lang, v.createdAt, store.timezone)}</td>
                  <td data-label={t.editor.content}>{v.isDefault ? t.editor.defaultVersion : (v.subject ?? v.text ?? '').slice(0, 80)}</td>
                  <td>{i > 0 && restore(t.editor.restore, v.version)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function MessageEditorPage(props: EditorProps) {
  const { t, store, flow, step, fields, errors } = props;
  const base = editorPath(store.id, flow.id, step.stepId);
  const action = `${base}?msg=${props.msgLang}`;
  return (
    <Page {...props} title={t.editor.title(flowName(flow.id, props.lang, flow.name), `${t.editor.channel[step.channel]} ${step.stepId}`)} active="flows">
      <p>
        <a href={`${storePath(store.id, '/flows')}#flow-${encodeURIComponent(flow.id)}`}>{t.editor.back}</a>
      </p>
      <nav class="tabs" aria-label={t.editor.language}>
        {(['fr', 'en'] as const).map((l) => (
          <a href={`${base}?msg=${l}`} aria-current={l === props.msgLang ? 'page' : undefined} lang={l}>{t.lang[l]}</a>
        ))}
        <span class={`pill ${props.custom ? 'on' : ''}`}>{props.custom ? t.editor.custom : t.editor.shipped}</span>
      </nav>
      {step.channel === 'email' && <p><a href={`${base}/blocks?msg=${props.msgLang}`} id="open-blocks">{t.onboarding.blocks.open}</a></p>}
      <section>
        <form method="post" action={action} id="message-form">
          <CsrfField token={props.csrf} />
          {step.channel === 'email' ? (
            <>
              <Field name="subject" label={t.editor.subject} value={fields.subject} errors={errors.subject} />
              <Field name="preheader" label={t.editor.preheader} value={fields.preheader} errors={errors.preheader} />
              <Field name="html" label={t.editor.html} value={fields.html} errors={errors.html} rows={12} />
              <Field name="text" label={t.editor.text} value={fields.text} errors={errors.text} rows={8} />
            </>
          ) : (
            <Field name="text" label={t.editor.sms} value={fields.text} errors={errors.text} rows={4} />
          )}
          <p class="muted">{t.editor.help}</p>
          <div class="field">
            <label for="f-contact">{t.editor.contact}</label>
            <input id="f-contact" type="text" name="contact" value={props.contactId} />
          </div>
          <p class="actions">
            <button type="submit" name="do" value="save">{t.editor.save}</button>
            <button type="submit" name="do" value="preview" class="secondary">{t.editor.preview}</button>
            <button type="submit" name="do" value="test" class="secondary">{t.editor.test}</button>
          </p>
        </form>
      </section>
      {props.preview && <Preview t={t} preview={props.preview} />}
      <Versions {...props} action={action} />
    </Page>
  );
}
