import { resolveLocale, type Locale } from '../messaging/templates';
import { ShopperPage } from './shopper-page';

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

export function NotFoundPage(props: { locale?: string | null }) {
  const lang = resolveLocale(props.locale ?? 'fr');
  const t = COPY[lang];
  return (
    <ShopperPage lang={lang} title={t.notFoundTitle}>
      <p>{t.notFoundBody}</p>
    </ShopperPage>
  );
}

/** GET /u/:token: asks, and only the button's POST unsubscribes (link scanners only GET). */
export function UnsubscribeConfirmPage(props: { locale: string | null; storeName: string; action: string }) {
  const lang = resolveLocale(props.locale);
  const t = COPY[lang];
  return (
    <ShopperPage lang={lang} title={t.confirmTitle}>
      <p>{t.confirmBody(props.storeName)}</p>
      <form method="post" action={props.action}>
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <button type="submit">{t.confirmButton}</button>
      </form>
    </ShopperPage>
  );
}

export function UnsubscribedPage(props: { locale: string | null; storeName: string }) {
  const lang = resolveLocale(props.locale);
  const t = COPY[lang];
  return (
    <ShopperPage lang={lang} title={t.doneTitle}>
      <p>{t.doneBody(props.storeName)}</p>
    </ShopperPage>
  );
}
