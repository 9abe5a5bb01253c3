import type { DurationProblem } from './i18n/duration';

/** Dashboard copy of the flows page: the form, its hints and its field-level refusals, in French and English. */
const fr = {
  title: 'Scénarios',
  enabled: 'Activé',
  disabled: 'Désactivé',
  enable: 'Scénario activé (il démarre pour les nouveaux contacts)',
  version: 'Version',
  settings: 'Réglages',
  noSettings: 'Aucun réglage.',
  save: 'Enregistrer',
  saved: (name: string, version: number) => `« ${name} » enregistré (version ${version}).`,
  listHelp: 'Une valeur par ligne',
  durationHelp: 'Ex. : 30 min, 2 h, 2 j, 1 sem, 1 j 12 h',
  timeHelp: 'Heure au format 09:30 ou 9 h 30',
  templateHelp: 'Identifiant du message, ex. cart.reminder.1',
  range: (min: string | null, max: string | null) => (min && max ? `De ${min} à ${max}` : min ? `Au moins ${min}` : `Au plus ${max}`),
  shippedText: (text: string) => `Dans les e-mails en français : « ${text} »`,
  refused: (name: string) => `« ${name} » n’a pas été enregistré : corrigez les champs signalés.`,
  field: {
    duration: {
      empty: 'Indiquez une durée, par exemple 30 min ou 2 j.',
      unit: 'Unité inconnue : utilisez s, min, h, j ou sem (ex. 2 j).',
      format: 'Durée illisible : écrivez par exemple 30 min, 2 h, 2 j ou 1 j 12 h.',
      fraction: 'La durée doit tomber sur une seconde entière.',
      too_long: 'Durée trop longue.',
    } satisfies Record<DurationProblem, string>,
    number: 'Entrez un nombre, par exemple 10 ou 1,5.',
    min: (n: string) => `Doit être au moins ${n}.`,
    max: (n: string) => `Doit être au plus ${n}.`,
    time: 'Heure attendue au format 09:30.',
    template: 'Identifiant de message attendu, par exemple cart.reminder.1.',
    channel: 'Choisissez un canal de la liste.',
    text: (max: number) => `${max} caractères au plus.`,
    list: (max: number) => `${max} valeurs au plus, de 200 caractères chacune.`,
  },
};

type FlowsCopy = typeof fr;

const en: FlowsCopy = {
  title: 'Flows',
  enabled: 'Enabled',
  disabled: 'Disabled',
  enable: 'Flow enabled (it starts for new contacts)',
  version: 'Version',
  settings: 'Settings',
  noSettings: 'No settings.',
  save: 'Save',
  saved: (name, version) => `“${name}” saved (version ${version}).`,
  listHelp: 'One value per line',
  durationHelp: 'E.g. 30 min, 2 h, 2 d, 1 wk, 1 d 12 h',
  timeHelp: 'Time as 09:30',
  templateHelp: 'Message id, e.g. cart.reminder.1',
  range: (min, max) => (min && max ? `From ${min} to ${max}` : min ? `At least ${min}` : `At most ${max}`),
  shippedText: (text) => `In French emails: “${text}”`,
  refused: (name) => `“${name}” was not saved: fix the fields shown.`,
  field: {
    duration: {
      empty: 'Enter a duration, for example 30 min or 2 d.',
      unit: 'Unknown unit: use s, min, h, d or wk (e.g. 2 d).',
      format: 'Unreadable duration: write for example 30 min, 2 h, 2 d or 1 d 12 h.',
      fraction: 'The duration must come to a whole second.',
      too_long: 'Duration too long.',
    },
    number: 'Enter a number, for example 10 or 1.5.',
    min: (n) => `Must be at least ${n}.`,
    max: (n) => `Must be at most ${n}.`,
    time: 'Expected a time such as 09:30.',
    template: 'Expected a message id such as cart.reminder.1.',
    channel: 'Pick a channel from the list.',
    text: (max) => `At most ${max} characters.`,
    list: (max) => `At most ${max} values of 200 characters each.`,
  },
};

export const FLOWS_COPY = { fr, en };
