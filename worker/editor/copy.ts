import type { Lang } from '../dashboard/copy';

export type FieldName = 'subject' | 'preheader' | 'html' | 'text';
export type ProblemCode =
  | 'required'
  | 'too_long'
  | 'parse'
  | 'unknown_variable'
  | 'bad_link'
  | 'forbidden_tag'
  | 'hidden_style'
  | 'comment'
  | 'unbalanced'
  | 'render'
  | 'opt_out_missing';
export type Problem = { code: ProblemCode; detail?: string; line?: number; max?: number };

const fr = {
  fields: { subject: 'Objet', preheader: 'Texte d’aperçu', html: 'Corps HTML', text: 'Texte (e-mail texte ou SMS)' } satisfies Record<FieldName, string>,
  problem: (p: Problem): string => {
    const at = p.line ? ` (ligne ${p.line})` : '';
    switch (p.code) {
      case 'required': return 'Ce champ est obligatoire.';
      case 'too_long': return `Trop long : ${p.max} caractères au plus.`;
      case 'parse': return `Le modèle Liquid ne se lit pas${at} : ${p.detail}`;
      case 'unknown_variable': return `Variable inconnue pour cette étape : ${p.detail}`;
      case 'bad_link': return `Lien refusé : « ${p.detail} ». Utilisez une adresse http(s) complète ou une variable de lien (store.url, cart.restore_url…).`;
      case 'forbidden_tag': return `Balise interdite dans le corps : <${p.detail}>.`;
      case 'hidden_style': return `Style refusé (« ${p.detail} ») : le corps ne peut rien masquer, ni le pied de page avec le lien de désinscription et l’adresse postale.`;
      case 'comment': return 'Les commentaires HTML (<!-- -->) sont refusés : ils pourraient masquer le pied de page.';
      case 'unbalanced': return `Balise non fermée ou fermée en trop : <${p.detail}>. Le pied de page (désinscription, adresse) doit rester visible.`;
      case 'render': return `Le modèle échoue au rendu${at} : ${p.detail}`;
      case 'opt_out_missing': return 'Le SMS doit garder la mention de désinscription « STOP ».';
    }
  },
  testSubject: (subject: string) => `[Test] ${subject}`,
  noOwnerAddress: 'Aucune adresse pour l’envoi test : renseignez l’e-mail de l’administrateur de la boutique.',
  invalid: 'Message refusé : corrigez les champs signalés.',
};

const en: typeof fr = {
  fields: { subject: 'Subject', preheader: 'Preview text', html: 'HTML body', text: 'Text (plain-text email or SMS)' },
  problem: (p) => {
    const at = p.line ? ` (line ${p.line})` : '';
    switch (p.code) {
      case 'required': return 'This field is required.';
      case 'too_long': return `Too long: ${p.max} characters at most.`;
      case 'parse': return `The Liquid template does not parse${at}: ${p.detail}`;
      case 'unknown_variable': return `Unknown variable for this step: ${p.detail}`;
      case 'bad_link': return `Link refused: “${p.detail}”. Use a full http(s) address or a link variable (store.url, cart.restore_url…).`;
      case 'forbidden_tag': return `Tag not allowed in the body: <${p.detail}>.`;
      case 'hidden_style': return `Style refused (“${p.detail}”): the body may not hide anything, nor the footer with the unsubscribe link and postal address.`;
      case 'comment': return 'HTML comments (<!-- -->) are refused: they could hide the footer.';
      case 'unbalanced': return `Tag left open or closed once too often: <${p.detail}>. The footer (unsubscribe, address) must stay visible.`;
      case 'render': return `The template fails to render${at}: ${p.detail}`;
      case 'opt_out_missing': return 'The SMS must keep the “STOP” opt-out instruction.';
    }
  },
  testSubject: (subject) => `[Test] ${subject}`,
  noOwnerAddress: 'No address for the test send: set the store admin’s email.',
  invalid: 'Message refused: fix the fields shown.',
};

export type EditorCopy = typeof fr;
export const EDITOR_COPY: Record<Lang, EditorCopy> = { fr, en };
