import type { RfmCell, TrendPoint } from '../../db/queries/segment-dashboard';
import type { Store } from '../../db/queries/stores';
import { RFM_SEGMENT_NAMES, segmentOf, type Score } from '../../segments/rfm';
import { formatMoney, formatNumber, type DashboardCopy, type Lang } from '../copy';
import { Page, storePath, type PageProps } from '../layout';

const STYLE = `.seg-actions{margin:0 0 1rem}.spark{display:block}.spark polyline{fill:none;stroke:#1f4fa3;stroke-width:1.5}
.rfm{table-layout:fixed}.rfm td{text-align:center;color:#1d2330}.rfm td small{display:block;font-size:.78rem}.rfm th[scope=row]{text-align:center}
@media (max-width:40rem){.rfm tr{grid-template-columns:repeat(auto-fill,minmax(6.5rem,1fr))}.rfm th[scope=row]{grid-column:1/-1;text-align:left}}`;

export type SegmentListItem = { id: string; name: string; kind: 'rfm' | 'lead' | 'custom'; count: number; trend: TrendPoint[] };
type Common = { t: DashboardCopy; lang: Lang; path: string; csrf: string; store: Store; notice?: PageProps['notice'] };

const W = 120;
const H = 28;

/** Members per day as a tiny line; the text alternative says the same in words. */
export function Sparkline(props: { t: DashboardCopy; lang: Lang; points: TrendPoint[] }) {
  const { points, lang } = props;
  if (points.length === 0) return <span class="muted">{props.t.segments.list.noTrend}</span>;
  const values = points.map((p) => p.members);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const x = (i: number) => (points.length === 1 ? W / 2 : (i * W) / (points.length - 1));
  const y = (v: number) => (max === min ? H / 2 : H - 2 - ((v - min) * (H - 4)) / (max - min));
  const line = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const f = (n: number) => formatNumber(lang, n);
  const label = props.t.segments.list.trendAlt(f(values[0] ?? 0), f(values.at(-1) ?? 0), points.length, f(min), f(max));
  return (
    <svg class="spark" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      <title>{label}</title>
      <polyline points={line} />
    </svg>
  );
}

function SegmentTable(props: Common & { segments: SegmentListItem[] }) {
  const s = props.t.segments;
  const path = (id: string, rest = '') => storePath(props.store.id, `/segments/${encodeURIComponent(id)}${rest}`);
  return (
    <section>
      <h2>{s.list.heading}</h2>
      <table>
        <thead>
          <tr><th scope="col">{s.list.name}</th><th scope="col">{s.list.type}</th><th scope="col">{s.list.members}</th><th scope="col">{s.list.trend}</th></tr>
        </thead>
        <tbody>
          {props.segments.map((seg) => (
            <tr>
              <td data-label={s.list.name}>
                <a href={path(seg.id)}>{seg.name}</a>
                {seg.kind === 'custom' && <> · <a href={path(seg.id, '/edit')}>{s.list.edit}</a></>}
              </td>
              <td data-label={s.list.type}>{s.types[seg.kind]}</td>
              <td data-label={s.list.members}>{formatNumber(props.lang, seg.count)}</td>
              <td data-label={s.list.trend}><Sparkline t={props.t} lang={props.lang} points={seg.trend} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export type GridCell = { r: Score; fm: Score; contacts: number; revenue: number };
const SCORES: Score[] = [1, 2, 3, 4, 5];
const clamp = (n: number): Score => Math.min(5, Math.max(1, n)) as Score;

/** The stored (R, F, M) counts folded into the 5×5 grid of R by FM = round((F + M) / 2), as the scoring places them. */
export function rfmGrid(cells: RfmCell[]): GridCell[] {
  const grid = SCORES.flatMap((fm) => SCORES.map((r): GridCell => ({ r, fm, contacts: 0, revenue: 0 })));
  for (const c of cells) {
    const cell = grid.find((g) => g.r === clamp(c.r) && g.fm === clamp(Math.round((c.f + c.m) / 2)));
    if (!cell) continue;
    cell.contacts += c.contacts;
    cell.revenue = Math.round((cell.revenue + c.revenue) * 100) / 100;
  }
  return grid;
}

/** Lighter to darker blue by share of the busiest cell; dark text stays readable on every shade. */
function shade(contacts: number, max: number): string {
  const k = max === 0 ? 0 : contacts / max;
  const mix = (a: number, b: number) => Math.round(a + (b - a) * k);
  return `background:rgb(${mix(245, 143)},${mix(247, 176)},${mix(251, 232)})`;
}

export function RfmHeatMap(props: { t: DashboardCopy; lang: Lang; currency: string; grid: GridCell[] }) {
  const h = props.t.segments.heatmap;
  const max = Math.max(0, ...props.grid.map((c) => c.contacts));
  const total = props.grid.reduce((n, c) => n + c.contacts, 0);
  const revenue = props.grid.reduce((n, c) => n + c.revenue, 0);
  const money = (v: number) => formatMoney(props.lang, v, props.currency);
  return (
    <section>
      <h2>{h.heading}</h2>
      <p class="muted">{h.help}</p>
      {total === 0 && <p>{h.empty}</p>}
      <table class="rfm">
        <caption class="muted">{h.caption}</caption>
        <thead>
          <tr><th scope="col"><abbr title={h.fmLong}>{h.fm}</abbr> \ <abbr title={h.rLong}>{h.r}</abbr></th>{SCORES.map((r) => <th scope="col">{`${h.r} ${r}`}</th>)}</tr>
        </thead>
        <tbody>
          {[...SCORES].reverse().map((fm) => (
            <tr>
              <th scope="row">{`${h.fm} ${fm}`}</th>
              {props.grid.filter((c) => c.fm === fm).map((c) => (
                <td data-label={`${h.r} ${c.r}`} style={shade(c.contacts, max)} data-cell={`${c.r}-${c.fm}`}>
                  <strong>{formatNumber(props.lang, c.contacts)}</strong>
                  <small>{money(c.revenue)}</small>
                  <small>{RFM_SEGMENT_NAMES[segmentOf(c.r, c.fm)][props.lang]}</small>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p>{h.total(formatNumber(props.lang, total), money(revenue))}</p>
    </section>
  );
}

export function SegmentsPage(props: Common & { segments: SegmentListItem[]; grid: GridCell[] }) {
  const s = props.t.segments;
  return (
    <Page {...props} title={s.title} active="segments">
      <style>{STYLE}</style>
      <p class="seg-actions"><a href={storePath(props.store.id, '/segments/new')}>{s.list.create}</a></p>
      <SegmentTable {...props} />
      <RfmHeatMap t={props.t} lang={props.lang} currency={props.store.currency} grid={props.grid} />
    </Page>
  );
}
