import type { MemberRow } from '../../db/queries/segment-dashboard';
import type { Store } from '../../db/queries/stores';
import { CONDITION_FIELDS, CONDITION_KINDS, MATCHES, type BuilderErrors, type BuilderForm, type FieldSpec, type Row } from '../../routes/dashboard/segment-form';
import { RFM_SEGMENT_NAMES, type RfmSegment } from '../../segments/rfm';
import { formatDate, formatNumber, type DashboardCopy, type Lang } from '../copy';
import { CsrfField, FieldError, Page, storePath, type PageProps } from '../layout';

const STYLE = `.cond{border:1px solid #dfe3ea;border-radius:6px;padding:.5rem .8rem;margin:.6rem 0}.cond legend{font-weight:600}
.cond-fields{display:flex;flex-wrap:wrap;gap:.2rem 1rem}.cond-fields>div{min-width:0;flex:1 1 12rem}.cond-fields input[type=text]{width:100%}
.multi{border:0;padding:0;margin:.3rem 0}.multi label{display:inline-block;margin:.1rem .8rem .1rem 0}
.b-field{margin:.5rem 0}.b-field>label{font-weight:600}.b-field input[type=text]{display:block;width:min(100%,30rem)}`;

type Common = { t: DashboardCopy; lang: Lang; path: string; csrf: string; store: Store; notice?: PageProps['notice'] };
export type BuilderProps = Common & { segmentId: string | null; title: string; form: BuilderForm; errors: BuilderErrors };

const describe = (errors: BuilderErrors, key: string) => (errors[key] ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${key}-error` } : {});

function NameField(props: { t: DashboardCopy; name: 'nameFr' | 'nameEn'; value: string; errors: BuilderErrors }) {
  return (
    <div class="b-field">
      <label for={props.name}>{props.t.segments.builder[props.name]}</label>
      <input type="text" id={props.name} name={props.name} value={props.value} maxlength={80} autocomplete="off" {...describe(props.errors, props.name)} />
      <FieldError id={`${props.name}-error`} errors={props.errors[props.name] ? [props.errors[props.name] ?? ''] : undefined} />
    </div>
  );
}

function ConditionField(props: { t: DashboardCopy; lang: Lang; i: number; row: Row; spec: FieldSpec; errors: BuilderErrors }) {
  const s = props.t.segments;
  const { spec, i } = props;
  const key = `c${i}.${spec.name}`;
  const value = props.row.values[spec.name] ?? '';
  const error = <FieldError id={`${key}-error`} errors={props.errors[key] ? [props.errors[key] ?? ''] : undefined} />;
  if (spec.type === 'multi') {
    return (
      <fieldset class="multi" {...describe(props.errors, key)}>
        <legend>{s.fields[spec.name]}</legend>
        {spec.options.map((o) => (
          <label><input type="checkbox" name={`${key}.${o}`} checked={props.row.values[`${spec.name}.${o}`] === 'on'} />{RFM_SEGMENT_NAMES[o as RfmSegment][props.lang]}</label>
        ))}
        {error}
      </fieldset>
    );
  }
  return (
    <div>
      <label for={key}>{s.fields[spec.name]}</label>
      {spec.type === 'select' ? (
        <select id={key} name={key} {...describe(props.errors, key)}>
          {spec.options.map((o) => <option value={o} selected={o === value}>{s.options[o]}</option>)}
        </select>
      ) : (
        <input type="text" id={key} name={key} value={value} inputmode={spec.type === 'number' ? 'decimal' : undefined} autocomplete="off" {...describe(props.errors, key)} />
      )}
      {spec.type === 'list' && <small class="muted"> {s.builder.listHelp}</small>}
      {error}
    </div>
  );
}

function ConditionRow(props: { t: DashboardCopy; lang: Lang; i: number; row: Row; errors: BuilderErrors }) {
  const b = props.t.segments.builder;
  const { i, row } = props;
  return (
    <fieldset class="cond" {...describe(props.errors, `c${i}`)}>
      <legend>{b.condition(i + 1)}</legend>
      <FieldError id={`c${i}-error`} errors={props.errors[`c${i}`] ? [props.errors[`c${i}`] ?? ''] : undefined} />
      <div class="b-field">
        <label for={`c${i}.kind`}>{b.kind}</label>
        <select id={`c${i}.kind`} name={`c${i}.kind`}>
          {CONDITION_KINDS.map((k) => <option value={k} selected={k === row.kind}>{props.t.segments.kinds[k]}</option>)}
        </select>{' '}
        <button type="submit" class="secondary" name="op" value="refresh">{b.refresh}</button>
      </div>
      <div class="cond-fields">
        {CONDITION_FIELDS[row.kind].map((spec) => <ConditionField {...props} spec={spec} />)}
      </div>
      <button type="submit" class="secondary" name="op" value={`remove.${i}`}>{b.remove(i + 1)}</button>
    </fieldset>
  );
}

export function BuilderPage(props: BuilderProps) {
  const b = props.t.segments.builder;
  const { form } = props;
  const base = storePath(props.store.id, '/segments');
  const action = props.segmentId ? `${base}/${encodeURIComponent(props.segmentId)}/edit` : `${base}/new`;
  return (
    <Page {...props} title={props.title} active="segments">
      <style>{STYLE}</style>
      <form method="post" action={action}>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="rows" value={String(form.rows.length)} />
        <input type="hidden" name="segment" value={props.segmentId ?? ''} />
        <section>
          <NameField t={props.t} name="nameFr" value={form.nameFr} errors={props.errors} />
          <NameField t={props.t} name="nameEn" value={form.nameEn} errors={props.errors} />
        </section>
        <section>
          <h2>{b.conditions}</h2>
          <FieldError id="rules-error" errors={props.errors.rules ? [props.errors.rules] : undefined} />
          <div class="b-field">
            <label for="match">{b.match}</label>
            <select id="match" name="match">
              {MATCHES.map((m) => <option value={m} selected={m === form.match}>{b.matchOptions[m]}</option>)}
            </select>
          </div>
          {form.rows.length === 0 && <p class="muted">{b.noConditions}</p>}
          {form.rows.map((row, i) => <ConditionRow t={props.t} lang={props.lang} i={i} row={row} errors={props.errors} />)}
          <button type="submit" class="secondary" name="op" value="add">{b.add}</button>
        </section>
        <div class="actions">
          <button type="submit" name="op" value="save">{b.save}</button>
          <button type="submit" class="secondary" formaction={`${base}/preview`}>{b.preview}</button>
          {props.segmentId && <a href={`${base}/${encodeURIComponent(props.segmentId)}/delete`}>{b.delete}</a>}
        </div>
      </form>
    </Page>
  );
}

export function DeletePage(props: Common & { segmentId: string; name: string }) {
  const b = props.t.segments.builder;
  const base = storePath(props.store.id, '/segments');
  return (
    <Page {...props} title={b.delete} active="segments">
      <form method="post" action={`${base}/${encodeURIComponent(props.segmentId)}/delete`}>
        <CsrfField token={props.csrf} />
        <p>{b.deleteConfirm(props.name)}</p>
        <div class="actions">
          <button type="submit">{b.confirm}</button>
          <a href={`${base}/${encodeURIComponent(props.segmentId)}/edit`}>{b.cancel}</a>
        </div>
      </form>
    </Page>
  );
}

export function MembersPage(props: Common & { segmentId: string; name: string; count: number; members: MemberRow[]; next: string | null; after?: string }) {
  const m = props.t.segments.members;
  const base = storePath(props.store.id, `/segments/${encodeURIComponent(props.segmentId)}`);
  return (
    <Page {...props} title={m.title(props.name)} active="segments">
      <p><a href={storePath(props.store.id, '/segments')}>{m.back}</a> · {m.count(formatNumber(props.lang, props.count))}</p>
      <section>
        {props.members.length === 0 ? <p>{m.none}</p> : (
          <table>
            <thead><tr><th scope="col">{m.contact}</th><th scope="col">{m.since}</th></tr></thead>
            <tbody>
              {props.members.map((r) => (
                <tr>
                  <td data-label={m.contact}><a href={storePath(props.store.id, `/contacts/${encodeURIComponent(r.contactId)}`)}>{r.email ?? m.noEmail}</a></td>
                  <td data-label={m.since}>{formatDate(props.lang, r.since, props.store.timezone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p class="actions">
          {props.after && <a href={base}>{m.first}</a>}
          {props.next && <a href={`${base}?after=${encodeURIComponent(props.next)}`}>{m.next}</a>}
        </p>
      </section>
      <section>
        <h2>{m.audience}</h2>
        <p class="muted">{m.audienceHelp}</p>
        <p class="actions">
          <a href={`${base}/audience/export?channel=email`} download>{m.audienceEmail}</a>
          <a href={`${base}/audience/export?channel=sms`} download>{m.audienceSms}</a>
        </p>
      </section>
    </Page>
  );
}
