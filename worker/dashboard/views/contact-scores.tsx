import type { ContactScorePanel } from '../../db/queries/segment-dashboard';
import { formatDate, formatNumber, type DashboardCopy, type Lang } from '../copy';
import { storePath } from '../layout';


/**
 * The contact page's panel: segment memberships (linking to each segment's members), RFM scores with the method
 * that scored them, and the lead score as of now. Placed on the contact page with its loader, contactScorePanel (db/queries/segment-dashboard).
 */
export function ContactScores(props: { t: DashboardCopy; lang: Lang; storeId: string; timeZone: string; scores: ContactScorePanel }) {
  const c = props.t.segments.contact;
  const { rfm, leadScore, segments } = props.scores;
  const n = (v: number) => formatNumber(props.lang, v);
  return (
    <section aria-labelledby="contact-scores">
      <h2 id="contact-scores">{c.heading}</h2>
      <dl>
        <dt>{c.rfm}</dt>
        <dd>{rfm ? <>{`${rfm.name[props.lang]} · ${c.rfmScores(n(rfm.r), n(rfm.f), n(rfm.m))}`}</> : c.noRfm}</dd>
        {rfm && <dt>{c.method}</dt>}
        {rfm && <dd>{c.methods[rfm.method]}</dd>}
        <dt>{c.lead}</dt>
        <dd>
          {c.leadValue(n(leadScore.value), n(leadScore.halfLifeDays))}
          {leadScore.hot && <> <span class="pill on">{c.hot}</span></>}
        </dd>
        <dt>{c.segments}</dt>
        <dd>
          {segments.length === 0 ? c.noSegments : (
            <ul class="steps">
              {segments.map((s) => (
                <li>
                  <a href={storePath(props.storeId, `/segments/${encodeURIComponent(s.id)}`)}>{s.name[props.lang]}</a>{' '}
                  <span class="muted">{c.since(formatDate(props.lang, s.since, props.timeZone))}</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </section>
  );
}
