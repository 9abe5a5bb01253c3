import type { DashboardCopy, Lang } from '../copy';
import { formatDays } from '../i18n/duration';
import { CsrfField, storePath } from '../layout';
import type { SegmentGuardrailRow } from '../../db/queries/segment-guardrails';

export type SegmentChoice = { id: string; name: string };
/** The add form as typed, and whether the shared schema refused it. */
export type SegmentRuleForm = { segment: string; exclude: boolean; cap: string; windowDays: string; hibernationDays: string; invalid: boolean };

type Props = { t: DashboardCopy; lang: Lang; csrf: string; storeId: string; rules: SegmentGuardrailRow[]; segments: SegmentChoice[]; form: SegmentRuleForm };

export const emptySegmentRuleForm = (lang: Lang): SegmentRuleForm => ({ segment: '', exclude: false, cap: '', windowDays: formatDays(7, lang), hibernationDays: '', invalid: false });

function ruleText(props: Props, r: SegmentGuardrailRow): string {
  const s = props.t.settings.segmentRules;
  const parts = [
    r.exclude ? s.excluded : null,
    r.cap !== null ? s.capped(String(r.cap), formatDays(r.windowDays, props.lang)) : null,
    r.hibernationDays !== null ? s.hibernates(formatDays(r.hibernationDays, props.lang)) : null,
  ];
  return parts.filter(Boolean).join(' · ');
}

/** The guardrails scoped to a segment, under the store's own on the guardrails tab: the list, each removable, then one add form. */
export function SegmentGuardrails(props: Props) {
  const s = props.t.settings.segmentRules;
  const action = storePath(props.storeId, '/settings/guardrails/segments');
  const invalid = props.form.invalid ? 'true' : undefined;
  return (
    <section id="segment-rules">
      <h2>{s.heading}</h2>
      <p class="muted">{s.help}</p>
      {props.rules.length === 0 ? <p>{s.none}</p> : (
        <table>
          <thead><tr><th scope="col">{s.segment}</th><th scope="col">{s.rule}</th><th scope="col" aria-label={s.remove}></th></tr></thead>
          <tbody>
            {props.rules.map((r) => (
              <tr>
                <td data-label={s.segment}>{props.lang === 'fr' ? r.nameFr : r.nameEn}</td>
                <td data-label={s.rule}>{ruleText(props, r)}</td>
                <td>
                  <form method="post" action={`${action}/${encodeURIComponent(r.segmentId)}/delete`} class="inline">
                    <CsrfField token={props.csrf} />
                    <button type="submit" class="secondary">{s.remove}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form method="post" action={action} novalidate>
        <CsrfField token={props.csrf} />
        <h3>{s.add}</h3>
        {props.form.invalid && <p id="segment-rule-error" class="field-error">{s.invalid}</p>}
        <div class="set-field">
          <label for="r-segment">{s.segment}</label>
          <select id="r-segment" name="segment" aria-invalid={invalid} aria-describedby={invalid && 'segment-rule-error'}>
            {props.segments.map((g) => <option value={g.id} selected={g.id === props.form.segment}>{g.name}</option>)}
          </select>
        </div>
        <div class="set-field set-check">
          <label><input type="checkbox" name="exclude" checked={props.form.exclude} />{s.exclude}</label>
        </div>
        <div class="set-field">
          <label for="r-cap">{s.cap}</label>
          <input id="r-cap" name="cap" inputmode="numeric" autocomplete="off" value={props.form.cap} aria-invalid={invalid} />
        </div>
        <div class="set-field">
          <label for="r-window">{s.windowDays}</label>
          <input id="r-window" name="windowDays" autocomplete="off" value={props.form.windowDays} aria-invalid={invalid} />
        </div>
        <div class="set-field">
          <label for="r-hibernation">{s.hibernationDays}</label>
          <input id="r-hibernation" name="hibernationDays" autocomplete="off" value={props.form.hibernationDays} aria-invalid={invalid} />
        </div>
        <button type="submit">{s.save}</button>
      </form>
    </section>
  );
}
