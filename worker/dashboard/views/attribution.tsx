import type { AttributionWindows } from '../../db/queries/attribution';
import type { DashboardCopy, Lang } from '../copy';
import { CsrfField, Page, storePath } from '../layout';

type Common = { t: DashboardCopy; lang: Lang; path: string; csrf: string; store: { id: string; name: string } };
const FIELDS = ['emailClickHours', 'emailOpenHours', 'smsClickHours'] as const;

/** /admin/stores/:store/attribution: the three windows of last-touch attribution, in hours. */
export function AttributionPage(props: Common & { windows: AttributionWindows; saved: boolean; invalid: readonly string[] }) {
  const a = props.t.results.attribution;
  const notice = props.invalid.length > 0 ? { kind: 'error' as const, text: a.invalid } : props.saved ? { kind: 'notice' as const, text: a.saved } : undefined;
  return (
    <Page {...props} title={a.title} active="flows" notice={notice}>
      <section>
        <p>{a.help}</p>
        <form method="post" action={storePath(props.store.id, '/attribution')}>
          <CsrfField token={props.csrf} />
          {FIELDS.map((field) => {
            const bad = props.invalid.includes(field);
            return (
              <div class="setting">
                <label for={field}>
                  {a[field]}
                  <small id={`${field}-hint`}>{a.hint(props.windows[field])}</small>
                </label>
                <input id={field} name={field} type="number" min="0" max="2160" step="1" required value={String(props.windows[field])} aria-invalid={bad ? 'true' : undefined} aria-describedby={`${field}-hint`} />
              </div>
            );
          })}
          <button type="submit">{a.save}</button>
        </form>
      </section>
    </Page>
  );
}
