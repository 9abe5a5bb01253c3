import { resolveLocale, type Locale } from '../messaging/templates';
import type { Breach, GuardedRate } from './rates';

type Copy = {
  subject: (store: string) => string;
  intro: (store: string) => string;
  rate: Record<GuardedRate, string>;
  line: (rate: string, stream: string, value: string, threshold: string, sent: number) => string;
  resume: string;
  banner: { paused: string; warning: string; slow_start: string };
  open: string;
};

const COPY: Record<Locale, Copy> = {
  fr: {
    subject: (store) => `[${store}] Envois promotionnels suspendus : réputation d'expéditeur en danger`,
    intro: (store) =>
      `Nightshift a suspendu les envois promotionnels de ${store} pour protéger votre domaine. Les rappels transactionnels continuent.`,
    rate: { complaint: 'Taux de plaintes', hardBounce: 'Taux de rebonds définitifs', unsubscribe: 'Taux de désinscriptions' },
    line: (rate, stream, value, threshold, sent) => `${rate} (flux ${stream}) : ${value} pour un seuil de ${threshold}, sur ${sent} envois.`,
    resume:
      "Vérifiez la source de vos contacts, puis confirmez la reprise dans le tableau de bord : les envois reprendront progressivement (le plafond quotidien double chaque jour).",
    banner: {
      paused: 'Envois promotionnels suspendus : un seuil de réputation a été franchi.',
      warning: "Attention : un taux de réputation approche de son seuil d'alerte.",
      slow_start: 'Reprise progressive des envois promotionnels en cours.',
    },
    open: 'Ouvrir le tableau de bord',
  },
  en: {
    subject: (store) => `[${store}] Promotional sending paused: sender reputation at risk`,
    intro: (store) => `Nightshift paused promotional sending for ${store} to protect your domain. Transactional reminders continue.`,
    rate: { complaint: 'Complaint rate', hardBounce: 'Hard bounce rate', unsubscribe: 'Unsubscribe rate' },
    line: (rate, stream, value, threshold, sent) => `${rate} (stream ${stream}): ${value} against a limit of ${threshold}, over ${sent} sends.`,
    resume: 'Check where your contacts come from, then confirm in the dashboard: sending resumes gradually (the daily cap doubles every day).',
    banner: {
      paused: 'Promotional sending paused: a reputation threshold was crossed.',
      warning: 'Warning: a reputation rate reached its warning level.',
      slow_start: 'Promotional sending is resuming gradually.',
    },
    open: 'Open the dashboard',
  },
};

export function copyFor(locale: string | null | undefined): Copy {
  return COPY[resolveLocale(locale)];
}

function percent(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(value);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export type AlertContent = { subject: string; html: string; text: string };

/** The admin alert of a pause: plain, localized, every interpolated value escaped in the HTML part. */
export function renderPauseAlert(locale: string | null | undefined, storeName: string, breaches: Breach[], dashboardUrl: string): AlertContent {
  const lang = resolveLocale(locale);
  const c = COPY[lang];
  const lines = breaches.map((b) => c.line(c.rate[b.rate], b.stream, percent(b.value, lang), percent(b.threshold, lang), b.sent));
  const paragraphs = [c.intro(storeName), ...lines, c.resume];
  const text = [...paragraphs, `${c.open}: ${dashboardUrl}`].join('\n\n');
  const html =
    paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('') + `<p><a href="${escapeHtml(dashboardUrl)}">${escapeHtml(c.open)}</a></p>`;
  return { subject: c.subject(storeName), html, text };
}
