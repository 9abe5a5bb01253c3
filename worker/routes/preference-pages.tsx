import type { Child } from 'hono/jsx';
import type { ChannelView, PreferenceView, Topic } from '../contacts/privacy/preference-centre';
import type { Frequency } from '../db/schema';
import { resolveLocale, type Locale } from '../messaging/templates';
import { ShopperPage } from './shopper-page';

/** Copy of the preference centre and double opt-in pages (French first, English shipped). */
const COPY = {
  fr: {
    title: 'Vos préférences',
    intro: (store: string) => `Choisissez ce que ${store} vous envoie, et à quel rythme.`,
    email: 'E-mail',
    sms: 'SMS',
    marketing: { email: 'Recevoir les e-mails marketing', sms: 'Recevoir les SMS marketing' },
    tracking: "M'indiquer l'ouverture de mes e-mails (mesure d'audience)",
    topics: 'Sujets',
    frequency: 'Fréquence',
    frequencies: { as_it_comes: 'Au fil de l’eau', weekly: 'Une fois par semaine au plus', monthly: 'Une fois par mois au plus', paused: 'Pause' } satisfies Record<Frequency, string>,
    pausedUntil: "Jusqu'au (vide : jusqu'à nouvel ordre)",
    news: 'Nouveautés et actualités',
    offers: 'Offres et promotions',
    save: 'Enregistrer',
    saved: 'Vos préférences sont enregistrées.',
    choiceTitle: 'Votre réponse',
    choiceBody: (value: string) => `Enregistrer « ${value} » comme ce qui vous intéresse ?`,
    choiceButton: 'Oui, enregistrer',
    choiceDone: 'Merci, c’est noté.',
    confirmTitle: 'Confirmer votre inscription',
    confirmBody: (store: string) => `Confirmez que vous souhaitez recevoir les e-mails de ${store}.`,
    confirmButton: 'Je confirme',
    confirmedTitle: 'Inscription confirmée',
    confirmedBody: (store: string) => `Merci ! Vous recevrez désormais les nouvelles de ${store}.`,
    notFoundTitle: 'Lien introuvable',
    notFoundBody: "Ce lien n'est pas valide ou a expiré.",
    forbiddenTitle: 'Formulaire expiré',
    forbiddenBody: 'Rouvrez le lien reçu par e-mail et réessayez.',
  },
  en: {
    title: 'Your preferences',
    intro: (store: string) => `Choose what ${store} sends you, and how often.`,
    email: 'Email',
    sms: 'SMS',
    marketing: { email: 'Receive marketing emails', sms: 'Receive marketing text messages' },
    tracking: 'Let us know when I open our emails (audience measurement)',
    topics: 'Topics',
    frequency: 'Frequency',
    frequencies: { as_it_comes: 'As it comes', weekly: 'At most once a week', monthly: 'At most once a month', paused: 'Pause' } satisfies Record<Frequency, string>,
    pausedUntil: 'Until (empty: until I change it)',
    news: 'News and new arrivals',
    offers: 'Offers and promotions',
    save: 'Save',
    saved: 'Your preferences are saved.',
    choiceTitle: 'Your answer',
    choiceBody: (value: string) => `Save “${value}” as what interests you?`,
    choiceButton: 'Yes, save it',
    choiceDone: 'Thank you, noted.',
    confirmTitle: 'Confirm your subscription',
    confirmBody: (store: string) => `Confirm that you want to receive emails from ${store}.`,
    confirmButton: 'I confirm',
    confirmedTitle: 'Subscription confirmed',
    confirmedBody: (store: string) => `Thank you! You will now hear from ${store}.`,
    notFoundTitle: 'Link not found',
    notFoundBody: 'This link is not valid or has expired.',
    forbiddenTitle: 'Form expired',
    forbiddenBody: 'Open the link from your email again and retry.',
  },
} satisfies Record<Locale, unknown>;

type Copy = (typeof COPY)[Locale];
const STYLE =
  'fieldset{border:1px solid #ddd;border-radius:8px;margin:0 0 1rem;padding:1rem}legend{font-weight:bold}label{display:block;margin:.25rem 0}.note{background:#eef7ee;padding:.5rem 1rem;border-radius:6px}';

type FormProps = { action: string; nonce: string; intent: 'save' | 'choice' | 'confirm'; button: string; children?: Child };

/** Every state change is this POST form: link scanners only GET, and the nonce ties it to this page. */
function PostForm(props: FormProps) {
  return (
    <form method="post" action={props.action}>
      <input type="hidden" name="nonce" value={props.nonce} />
      <input type="hidden" name="intent" value={props.intent} />
      {props.children}
      <button type="submit">{props.button}</button>
    </form>
  );
}

function topicLabel(t: Copy, topic: Topic): string {
  if (topic.category) return topic.category.name;
  return topic.id === 'news' ? t.news : t.offers;
}

function ChannelFieldset(props: { t: Copy; view: ChannelView; topics: Topic[] }) {
  const { t, view } = props;
  const ch = view.channel;
  const p = view.preferences;
  const until = p.pausedUntil ? new Date(p.pausedUntil).toISOString().slice(0, 10) : '';
  return (
    <fieldset>
      <legend>{ch === 'email' ? t.email : t.sms}</legend>
      <label>
        <input type="checkbox" name={`${ch}_marketing`} checked={view.consent} /> {t.marketing[ch]}
      </label>
      <p>{t.frequency}</p>
      {(Object.keys(t.frequencies) as Frequency[]).map((f) => (
        <label>
          <input type="radio" name={`${ch}_frequency`} value={f} checked={p.frequency === f} /> {t.frequencies[f]}
        </label>
      ))}
      <label>
        {t.pausedUntil} <input type="date" name={`${ch}_paused_until`} value={until} />
      </label>
      <p>{t.topics}</p>
      {props.topics.map((topic) => (
        <label>
          <input type="checkbox" name={`${ch}_topics`} value={topic.id} checked={!p.mutedTopics.includes(topic.id)} /> {topicLabel(t, topic)}
        </label>
      ))}
    </fieldset>
  );
}

type Common = { locale: string | null | undefined; storeName: string };
const copy = (locale: string | null | undefined) => {
  const lang = resolveLocale(locale);
  return { lang, t: COPY[lang] };
};

export function PreferenceCentrePage(props: Common & { action: string; nonce: string; view: PreferenceView; saved: boolean }) {
  const { lang, t } = copy(props.locale);
  return (
    <ShopperPage style={STYLE} lang={lang} title={t.title}>
      {props.saved ? <p class="note" role="status">{t.saved}</p> : null}
      <p>{t.intro(props.storeName)}</p>
      <PostForm action={props.action} nonce={props.nonce} intent="save" button={t.save}>
        {props.view.channels.map((v) => (
          <ChannelFieldset t={t} view={v} topics={props.view.topics} />
        ))}
        {props.view.channels.some((v) => v.channel === 'email') ? (
          <label>
            <input type="checkbox" name="email_tracking" checked={props.view.tracking} /> {t.tracking}
          </label>
        ) : null}
      </PostForm>
    </ShopperPage>
  );
}

export function ChoicePage(props: Common & { action: string; nonce: string; value: string; done: boolean }) {
  const { lang, t } = copy(props.locale);
  if (props.done) {
    return (
      <ShopperPage style={STYLE} lang={lang} title={t.choiceTitle}>
        <p>{t.choiceDone}</p>
      </ShopperPage>
    );
  }
  return (
    <ShopperPage style={STYLE} lang={lang} title={t.choiceTitle}>
      <PostForm action={props.action} nonce={props.nonce} intent="choice" button={t.choiceButton}>
        <p>{t.choiceBody(props.value)}</p>
      </PostForm>
    </ShopperPage>
  );
}

export function ConfirmPage(props: Common & { action: string; nonce: string; done: boolean }) {
  const { lang, t } = copy(props.locale);
  if (props.done) {
    return (
      <ShopperPage style={STYLE} lang={lang} title={t.confirmedTitle}>
        <p>{t.confirmedBody(props.storeName)}</p>
      </ShopperPage>
    );
  }
  return (
    <ShopperPage style={STYLE} lang={lang} title={t.confirmTitle}>
      <PostForm action={props.action} nonce={props.nonce} intent="confirm" button={t.confirmButton}>
        <p>{t.confirmBody(props.storeName)}</p>
      </PostForm>
    </ShopperPage>
  );
}

export function PreferenceNotFoundPage(props: { locale?: string | null }) {
  const { lang, t } = copy(props.locale ?? 'fr');
  return (
    <ShopperPage style={STYLE} lang={lang} title={t.notFoundTitle}>
      <p>{t.notFoundBody}</p>
    </ShopperPage>
  );
}

export function FormExpiredPage(props: { locale: string | null | undefined }) {
  const { lang, t } = copy(props.locale);
  return (
    <ShopperPage style={STYLE} lang={lang} title={t.forbiddenTitle}>
      <p>{t.forbiddenBody}</p>
    </ShopperPage>
  );
}
