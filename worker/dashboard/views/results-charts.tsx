import type { Lang } from '../copy';

/**
 * Charts drawn on the server as SVG: no client script, no charting library. Each scales to its
 * container (a phone's 390 px included) through its viewBox, carries role="img" with a <title> and
 * <desc>, and its page puts the same figures in a table next to it.
 */
const WIDTH = 360;
const INK = '#1d2330';
const COLORS = ['#3b5b92', '#5b8bd0', '#8fb3e8', '#1f7a3d'];

export function money(lang: Lang, currency: string, n: number): string {
  try {
    return new Intl.NumberFormat(lang, { style: 'currency', currency, maximumFractionDigits: 2 }).format(n);
  } catch {
    return `${n.toFixed(2)} ${currency}`;
  }
}

export function percent(lang: Lang, share: number | null): string {
  return share === null ? '—' : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

type ChartText = { id: string; title: string; desc: string };

export type FunnelRow = { label: string; values: number[] };

/** One group of bars per step (sent, opened, clicked, converted), all on the scale of the most sent. */
export function FunnelChart(props: ChartText & { rows: FunnelRow[]; series: string[] }) {
  const max = Math.max(1, ...props.rows.flatMap((r) => r.values));
  const bar = 12;
  const group = 22 + props.series.length * (bar + 3) + 10;
  // Two legend entries per line: four series side by side do not fit a phone's width.
  const legend = Math.ceil(props.series.length / 2) * 18 + 6;
  const height = legend + props.rows.length * group;
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby={`${props.id}-t ${props.id}-d`} style="max-width:40rem;display:block">
      <title id={`${props.id}-t`}>{props.title}</title>
      <desc id={`${props.id}-d`}>{props.desc}</desc>
      {props.series.map((name, i) => (
        <g>
          <rect x={(i % 2) * 180} y={Math.floor(i / 2) * 18 + 2} width={11} height={11} fill={COLORS[i]} />
          <text x={(i % 2) * 180 + 16} y={Math.floor(i / 2) * 18 + 12} font-size="12" fill={INK}>{name}</text>
        </g>
      ))}
      {props.rows.map((row, r) => {
        const top = legend + r * group;
        return (
          <g>
            <text x={0} y={top + 14} font-size="13" font-weight="600" fill={INK}>{row.label}</text>
            {row.values.map((v, i) => {
              const y = top + 20 + i * (bar + 3);
              const w = Math.max(v > 0 ? 1 : 0, Math.round((v / max) * 290));
              return (
                <g>
                  <rect x={0} y={y} width={w} height={bar} fill={COLORS[i]} />
                  <text x={w + 4} y={y + 10} font-size="11" fill={INK}>{String(v)}</text>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}

export type DailyPoint = { day: string; sent: number; converted: number; revenue: number };

/** Sent per day as bars, credited orders as dots on the same count scale, revenue as a line on its own scale. */
export function DailyChart(props: ChartText & { points: DailyPoint[]; maxRevenueLabel: string }) {
  const { points } = props;
  const height = 170;
  const [left, right, top, bottom] = [30, 8, 18, 24];
  const plotW = WIDTH - left - right;
  const plotH = height - top - bottom;
  const maxCount = Math.max(1, ...points.map((p) => Math.max(p.sent, p.converted)));
  const maxRevenue = Math.max(0, ...points.map((p) => p.revenue));
  const step = plotW / Math.max(1, points.length);
  const x = (i: number) => left + i * step + step / 2;
  const y = (v: number, max: number) => top + plotH - (max > 0 ? (v / max) * plotH : 0);
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.revenue, maxRevenue).toFixed(1)}`).join(' ');
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby={`${props.id}-t ${props.id}-d`} style="max-width:40rem;display:block">
      <title id={`${props.id}-t`}>{props.title}</title>
      <desc id={`${props.id}-d`}>{props.desc}</desc>
      <line x1={left} y1={top + plotH} x2={WIDTH - right} y2={top + plotH} stroke="#c6ccd8" />
      <text x={0} y={top + 4} font-size="11" fill={INK}>{String(maxCount)}</text>
      <text x={WIDTH - right} y={top - 4} font-size="11" fill={COLORS[3]} text-anchor="end">{props.maxRevenueLabel}</text>
      {points.map((p, i) => (
        <rect x={x(i) - Math.max(1, step * 0.35)} y={y(p.sent, maxCount)} width={Math.max(2, step * 0.7)} height={top + plotH - y(p.sent, maxCount)} fill={COLORS[1]} />
      ))}
      {points.map((p, i) => (p.converted > 0 ? <circle cx={x(i)} cy={y(p.converted, maxCount)} r={3} fill={INK} /> : null))}
      {maxRevenue > 0 && <path d={line} fill="none" stroke={COLORS[3]} stroke-width="1.5" />}
      {points.length > 0 && (
        <g font-size="11" fill={INK}>
          <text x={left} y={height - 6}>{points[0]!.day}</text>
          <text x={WIDTH - right} y={height - 6} text-anchor="end">{points[points.length - 1]!.day}</text>
        </g>
      )}
    </svg>
  );
}

export type IntervalRow = { label: string; estimate: number; low: number; high: number; text: string };

/**
 * Differences with their 95 % intervals: a dot for the estimate, a line for the interval, a vertical line at
 * zero. The scale is symmetric around zero so "no difference" sits in the middle whatever the sign.
 */
export function IntervalChart(props: ChartText & { rows: IntervalRow[] }) {
  const [left, right] = [10, 10];
  const plotW = WIDTH - left - right;
  const reach = Math.max(0.01, ...props.rows.flatMap((r) => [Math.abs(r.low), Math.abs(r.high)]));
  const x = (v: number) => left + ((v + reach) / (2 * reach)) * plotW;
  const rowH = 40;
  const height = props.rows.length * rowH + 10;
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby={`${props.id}-t ${props.id}-d`} style="max-width:40rem;display:block">
      <title id={`${props.id}-t`}>{props.title}</title>
      <desc id={`${props.id}-d`}>{props.desc}</desc>
      <line x1={x(0)} y1={0} x2={x(0)} y2={height} stroke="#c6ccd8" />
      {props.rows.map((row, i) => {
        const y = i * rowH + 30;
        return (
          <g>
            <text x={left} y={y - 12} font-size="12" fill={INK}>{`${row.label}: ${row.text}`}</text>
            <line x1={x(row.low)} y1={y} x2={x(row.high)} y2={y} stroke={COLORS[0]} stroke-width="3" />
            <circle cx={x(row.estimate)} cy={y} r={5} fill={row.low > 0 ? COLORS[3] : INK} />
          </g>
        );
      })}
    </svg>
  );
}

/** Wide tables scroll inside their box, never the page (a 390 px phone). */
export function Table(props: { headers: string[]; rows: string[][] }) {
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            {props.headers.map((h) => (
              <th>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr>
              {row.map((cell) => (
                <td>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
