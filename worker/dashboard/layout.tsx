import type { Child } from 'hono/jsx';
import { LANGS, type DashboardCopy, type Lang } from './copy';

const STYLE = `
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{background:#1d2330;color:#fff;padding:.6rem 1.5rem;display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap}
header a{color:#cfd6e4;text-decoration:none}header a:hover,header a[aria-current=page]{color:#fff;text-decoration:underline}
header .brand{font-weight:600;color:#fff;margin-right:auto}
header nav{display:flex;gap:1rem;flex-wrap:wrap}
header form{margin:0}header button{background:none;border:1px solid #55607a;color:#cfd6e4;padding:.2rem .6rem}
main{max-width:72rem;margin:1.5rem auto;padding:0 1.5rem;overflow-wrap:anywhere}
h1{font-size:1.5rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:0 0 .6rem}
section{background:#fff;border:1px solid #dfe3ea;border-radius:8px;padding:1rem 1.2rem;margin:0 0 1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}
table{border-collapse:collapse;width:100%;font-size:.93rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #eceff4;vertical-align:top;overflow-wrap:anywhere}
th{font-weight:600;color:#4a5468;background:#fafbfc}
.banner{padding:.75rem 1rem;border-radius:8px;margin:0 0 1rem;border:1px solid}
.critical{background:#fdecec;border-color:#e4a5a5;color:#7a1616}.warning{background:#fff6e0;border-color:#e8cf8a;color:#6b4b00}
.info,.notice{background:#e8f1fd;border-color:#a9c4ea;color:#163f74}.error{background:#fdecec;border-color:#e4a5a5;color:#7a1616}
.muted{color:#5a6275}.pill{display:inline-block;padding:0 .5rem;border-radius:99px;background:#eceff4;font-size:.85rem}
.on{background:#dff3e4;color:#185c2b}
label{display:block;margin:.4rem 0}input,textarea,select{font:inherit;padding:.3rem .45rem;border:1px solid #c6ccd8;border-radius:5px;max-width:100%}
input[type=checkbox]{margin-right:.4rem}
button{font:inherit;padding:.4rem .9rem;border-radius:5px;border:1px solid #1d2330;background:#1d2330;color:#fff;cursor:pointer}
.setting{display:grid;grid-template-columns:minmax(10rem,18rem) 1fr;gap:.5rem;align-items:center;margin:.3rem 0}
.setting small{display:block;color:#5a6275}.setting input,.setting select,.setting textarea{justify-self:start}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fafbfc;border:1px solid #eceff4;padding:.8rem;border-radius:6px;margin:0}
iframe{width:100%;height:32rem;border:1px solid #dfe3ea;border-radius:6px;background:#fff}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0 0 .8rem}dt{color:#5a6275}dd{margin:0}
.field-plain{margin:.5rem 0}.field-plain label{margin:0 0 .15rem}.field-plain input{width:min(100%,30rem)}.login{max-width:26rem;margin:12vh auto}.login input{width:100%}
.field{margin:.6rem 0}.field label{font-weight:600}.field input,.field textarea{display:block;width:100%;font-family:ui-monospace,Menlo,monospace;font-size:.9rem}
.field-error{color:#7a1616;margin:.3rem 0;padding-left:1.2rem}[aria-invalid=true]{border-color:#c0392b}
.actions{display:flex;flex-wrap:wrap;gap:.5rem}button.secondary{background:#fff;color:#1d2330}form.inline{display:inline;margin:0 .4rem .4rem 0}
.tabs{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;margin:0 0 1rem}.tabs a[aria-current=page]{font-weight:700}
.previews{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}.previews figure{margin:0;min-width:0;flex:1 1 auto}
.previews .desktop{flex-basis:640px;max-width:640px}.previews .phone{flex-basis:375px;max-width:375px}.previews iframe{width:100%;height:40rem}
#preview dl{grid-template-columns:minmax(0,max-content) minmax(0,1fr)}#preview dd{overflow-wrap:anywhere}
.scroll{overflow-x:auto}.sms-preview{max-width:22rem}.steps{margin:.4rem 0 0;padding-left:1.2rem}
td,dd,code,.pill{overflow-wrap:anywhere}dl{grid-template-columns:minmax(0,max-content) minmax(0,1fr)}
.setting span{min-width:0}.field-error:is(span){display:block;padding:0}.setting.invalid{background:#fdf5f5;border-radius:5px;padding:.2rem .3rem}
a{color:#1f4fa3}header a{color:#cfd6e4}.lang a{border:1px solid #55607a;border-radius:5px;padding:.1rem .5rem}
@media (max-width:40rem){
header{padding:.6rem .9rem;gap:.5rem 1rem}header nav{gap:.3rem .9rem}
main{padding:0 .6rem;margin-top:1rem}section{padding:.8rem .7rem}h1{font-size:1.3rem}
.setting{grid-template-columns:1fr;gap:.2rem;margin:.6rem 0}.setting input[type=text],.setting select,.setting textarea{width:100%}
dl{grid-template-columns:1fr}dd{margin:0 0 .4rem}
table,tbody,tr,td,th{display:block;width:100%}thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
tr{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.1rem .8rem;border:1px solid #eceff4;border-radius:6px;margin:0 0 .5rem;padding:.3rem .5rem}td{border:0;padding:.1rem 0;min-width:0}
td[data-label]::before{content:attr(data-label);display:block;font-size:.8rem;color:#4a5468}
.previews .desktop,.previews .phone{flex-basis:100%;max-width:100%}
}
`;

export type StoreRef = { id: string; name: string };
export type NavKey = 'stores' | 'overview' | 'flows' | 'outbox' | 'contacts' | 'connection' | 'settings' | 'segments' | 'widgets';

export type PageProps = {
  t: DashboardCopy;
  lang: Lang;
  title: string;
  /** The current path: the language switch links back to it. */
  path: string;
  store?: StoreRef;
  active?: NavKey;
  /** The session's CSRF token; without it (login page) there is no navigation. */
  csrf?: string;
  notice?: { kind: 'notice' | 'error'; text: string; details?: string[] };
  children?: Child;
};

export function storePath(storeId: string, rest = ''): string {
  return `/admin/stores/${encodeURIComponent(storeId)}${rest}`;
}

function Nav(props: PageProps) {
  const { t, store, active } = props;
  const current = (key: NavKey) => (active === key ? 'page' : undefined);
  return (
    <nav aria-label={t.nav.label}>
      <a href="/admin/stores" aria-current={current('stores')}>{t.nav.stores}</a>
      {store && <a href={storePath(store.id)} aria-current={current('overview')}>{t.nav.overview}</a>}
      {store && <a href={storePath(store.id, '/flows')} aria-current={current('flows')}>{t.nav.flows}</a>}
      {store && <a href={storePath(store.id, '/messages')} aria-current={current('outbox')}>{t.nav.outbox}</a>}
      {store && <a href={storePath(store.id, '/contacts')} aria-current={current('contacts')}>{t.nav.contacts}</a>}
      {store && <a href={storePath(store.id, '/connection')} aria-current={current('connection')}>{t.nav.connection}</a>}
      {store && <a href={storePath(store.id, '/settings')} aria-current={current('settings')}>{t.nav.settings}</a>}
      {store && <a href={storePath(store.id, '/segments')} aria-current={current('segments')}>{t.segments.nav}</a>}
      {store && <a href={storePath(store.id, '/widgets')} aria-current={current('widgets')}>{t.widgets.nav}</a>}
    </nav>
  );
}

function LangSwitch(props: { t: DashboardCopy; lang: Lang; path: string }) {
  return (
    <span class="lang">
      {LANGS.filter((l) => l !== props.lang).map((l) => (
        <a href={`${props.path}?lang=${l}`} lang={l} hreflang={l}>{props.t.lang[l]}</a>
      ))}
    </span>
  );
}

/** A field's refusal, next to it; the field points at it with aria-describedby and aria-invalid. */
export function FieldError(props: { id: string; errors: string[] | undefined }) {
  if (!props.errors || props.errors.length === 0) return null;
  return (
    <span id={props.id} class="field-error" role="alert">
      {props.errors.join(' ')}
    </span>
  );
}

export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

export function Page(props: PageProps) {
  const { t, notice } = props;
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <link rel="icon" href="data:," />
        <title>{`${props.title} · ${t.brand}`}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <header>
          <span class="brand">{props.store ? `${t.brand} · ${props.store.name}` : t.brand}</span>
          {props.csrf && <Nav {...props} />}
          <LangSwitch t={t} lang={props.lang} path={props.path} />
          {props.csrf && (
            <form method="post" action="/admin/logout">
              <CsrfField token={props.csrf} />
              <button type="submit">{t.nav.logout}</button>
            </form>
          )}
        </header>
        <main>
          <h1>{props.title}</h1>
          {notice && (
            <div class={`banner ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
              {notice.text}
              {notice.details && notice.details.length > 0 && (
                <ul>
                  {notice.details.map((d) => (
                    <li>{d}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          {props.children}
        </main>
      </body>
    </html>
  );
}
