import type { Locale } from './types';

/**
 * The presets ship some shopper-facing text as flow settings (choice labels, VIP perks, path
 * titles), written in English. A French email shows these defaults in French; text the owner
 * typed is shown as typed, in whatever language they wrote it.
 */
const SHIPPED_TEXT_FR: Record<string, string> = {
  'New arrivals': 'Nouveautés',
  'Good deals': 'Bons plans',
  'Gift ideas': 'Idées cadeaux',
  'Free shipping': 'Livraison offerte',
  'Early access to new products': 'Accès en avant-première aux nouveautés',
  'I am just getting started': 'Je débute',
  'I know what I want': 'Je sais ce que je veux',
  'Getting started': 'Bien débuter',
  'Our beginner guide and best-sellers.': 'Notre guide pour bien débuter et nos meilleures ventes.',
  'For experts': 'Pour les connaisseurs',
  'Advanced picks and pro tips.': 'Une sélection pointue et des conseils de pro.',
  'Our favourites': 'Nos coups de cœur',
  'A tour of what our customers love.': 'Un tour de ce que nos clients préfèrent.',
};

export function localizeShippedText(value: string, locale: Locale): string {
  return locale === 'fr' ? (SHIPPED_TEXT_FR[value] ?? value) : value;
}
