import type { Widget, WidgetMetric } from '../../db/queries/widgets';
import { WIDGET_METRICS } from '../../db/queries/widgets';
import type { Store } from '../../db/queries/stores';
import type { WidgetFormValues } from '../../widgets/form';
import { formatMoney, type DashboardCopy } from '../copy';
import { WIDGET_FIELDS, type WidgetField } from '../copy-widgets';
import { CsrfField, Page, storePath, type PageProps } from '../layout';

const CHECKS = new Set<WidgetField>(['enabled', 'phone', 'birthday', 'exitIntent', 'newVisitorsOnly', 'notSubscribers']);
const LONG = new Set<WidgetField>(['frBody', 'enBody', 'frConsentEmail', 'enConsentEmail', 'frConsentSms', 'enConsentSms']);

export type WidgetRow = Widget & { results: Record<WidgetMetric, number> };
type Props = Omit<PageProps, 'title'> & {
  store: Store;
  rows: WidgetRow[];
  carousels: { id: string; clicks: number }[];
  values: WidgetFormValues;
  errors: Partial<Record<WidgetField, true>>;
};

function Field(props: { t: DashboardCopy; name: WidgetField; values: WidgetFormValues; errors: Props['errors'] }) {
  const { t, name, values } = props;
  const id = `w-${name}`;
  const error = props.errors[name] ? <p id={`${id}-error`} class="field-error">{t.widgets.fieldError}</p> : null;
  const described = error ? `${id}-error` : undefined;
  if (CHECKS.has(name))
    return <p class="set-field set-check"><label><input type="checkbox" id={id} name={name} checked={values[name] === 'on'} /> {t.widgets.labels[name]}</label></p>;
  if (name === 'kind')
    return (
      <p class="set-field"><label for={id}>{t.widgets.labels.kind}</label>
        <select id={id} name="kind">{(['popup', 'inlay'] as const).map((k) => <option value={k} selected={values.kind === k}>{t.widgets.kinds[k]}</option>)}</select>{error}</p>
    );
  const input = LONG.has(name)
    ? <textarea id={id} name={name} rows={2} aria-invalid={error ? 'true' : undefined} aria-describedby={described}>{values[name] ?? ''}</textarea>
    : <input id={id} name={name} value={values[name] ?? ''} aria-invalid={error ? 'true' : undefined} aria-describedby={described} />;
  return <p class="set-field"><label for={id}>{t.widgets.labels[name]}</label>{input}{error}</p>;
}

/** The store's widgets with their results, and the form that creates or edits one. */
export function WidgetsPage(props: Props) {
  const { t, store, rows } = props;
  const w = t.widgets;
  return (
    <Page {...props} title={w.title} active="widgets">
      <h2>{w.results}</h2>
      {rows.length === 0 && !props.carousels.length ? <p>{w.none}</p> : (
        <div style="overflow-x:auto"><table>
          <thead><tr><th scope="col">Widget</th>{WIDGET_METRICS.map((m) => <th scope="col">{w.metrics[m]}</th>)}<th scope="col">{w.edit}</th></tr></thead>
          <tbody>
            {rows.map((r) => <tr><th scope="row">{r.id}</th>{WIDGET_METRICS.map((m) => <td>{m === 'revenue' ? formatMoney(props.lang, r.results.revenue, store.currency) : r.results[m]}</td>)}<td><a href={`${storePath(store.id, '/widgets')}?edit=${encodeURIComponent(r.id)}`}>{w.edit}</a></td></tr>)}
            {props.carousels.map((c) => <tr><th scope="row">{`${w.carousel} ${c.id.slice('carousel-'.length)}`}</th>{WIDGET_METRICS.map((m) => <td>{m === 'click' ? c.clicks : '–'}</td>)}<td></td></tr>)}
          </tbody>
        </table></div>
      )}
      <h2>{props.values.id ? `${w.edit} ${props.values.id}` : w.newWidget}</h2>
      <form method="post" action={storePath(store.id, '/widgets')}>
        <CsrfField token={props.csrf ?? ''} />
        {WIDGET_FIELDS.map((name) => <Field t={t} name={name} values={props.values} errors={props.errors} />)}
        <button type="submit">{w.save}</button>
      </form>
    </Page>
  );
}
