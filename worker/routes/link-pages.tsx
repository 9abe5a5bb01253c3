import type { Child } from 'hono/jsx';
import { resolveLocale, type Locale } from '../messaging/templates';

/** Copy of the pages people reach from email links (French first, English shipped). */
const COPY = {
  fr: {
    notFoundTitle: 'Lien introuvable',
    notFoundBody: "Ce lien n'est pas valide ou n'est plus actif.",
    confirmTitle: 'Se désabonner ?',
    confirmBody: (store: string) => `Vous ne recevrez plus les e-mails marketing de ${store}.`,
    confirmButton: 'Me désabonner',
    doneTitle: 'Vous êtes désabonné·e',
    doneBody: (store: string) => `${store} ne vous enverra plus d'e-mails marketing. Les e-mails liés à vos commandes continuent.`,
  },
  en: {
    notFoundTitle: 'Link not found',
    notFoundBody: 'This link is not valid or no longer active.',
    confirmTitle: 'Unsubscribe?',
    confirmBody: (store: string) => `You will no longer receive marketing emails from ${store}.`,
    confirmButton: 'Unsubscribe',
    doneTitle: 'You are unsubscribed',
    doneBody: (store: string) => `${store} will send you no more marketing emails. Emails about your orders still arrive.`,
  },
} satisfies Record<Locale, unknown>;

export const copyFor = (locale: string | null | undefined) => COPY[resolveLocale(locale)];

const STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:10vh auto;padding:0 1rem;color:#222}button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #333;background:#222;color:#fff;cursor:pointer}';

function Page(props: { lang: Locale; title: string; children: Child }) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <main>
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

export function NotFoundPage(props: { locale?: string | null }) {
  const lang = resolveLocale(props.locale ?? 'fr');
  const t = COPY[lang];
  return (
    <Page lang={lang} title={t.notFoundTitle}>
      <p>{t.notFoundBody}</p>
    </Page>
  );
}

/** GET /u/:token: asks, and only the button's POST unsubscribes (link scanners only GET). */
export function UnsubscribeConfirmPage(props: { locale: string | null; storeName: string; action: string }) {
  const lang = resolveLocale(props.locale);
  const t = COPY[lang];
  return (
    <Page lang={lang} title={t.confirmTitle}>
      <p>{t.confirmBody(props.storeName)}</p>
      <form method="post" action={props.action}>
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <button type="submit">{t.confirmButton}</button>
      </form>
    </Page>
  );
}

export function UnsubscribedPage(props: { locale: string | null; storeName: string }) {
  const lang = resolveLocale(props.locale);
  const t = COPY[lang];
  return (
    <Page lang={lang} title={t.doneTitle}>
      <p>{t.doneBody(props.storeName)}</p>
    </Page>
  );
}
