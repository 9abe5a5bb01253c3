import type { Flow } from '../journeys/flow-schema';
import { PRESETS } from '../journeys/presets';
import type { Lang } from './copy';
import { FLOW_TEXT_FR } from './flow-copy-fr';

/** A shipped flow's name, description, setting labels and help in the dashboard's language. */
export type FlowText = { name: string; description: string; labels: Record<string, string>; help: Record<string, string> };

/** English is the preset's own text, so the two never drift apart. */
function english(flow: Flow): FlowText {
  const settings = Object.entries(flow.settings);
  return {
    name: flow.name,
    description: flow.description ?? '',
    labels: Object.fromEntries(settings.map(([key, s]) => [key, s.label])),
    help: Object.fromEntries(settings.flatMap(([key, s]) => (s.help ? [[key, s.help]] : []))),
  };
}

const TEXTS: Record<string, Record<Lang, FlowText>> = Object.fromEntries(
  PRESETS.map((flow) => {
    const fr = FLOW_TEXT_FR[flow.id];
    const en = english(flow);
    return [flow.id, { en, fr: fr ? { ...fr, help: fr.help ?? {} } : en }];
  }),
);

/** Texts of a shipped flow; a flow the store made itself keeps its own wording (undefined here). */
export function flowText(flowId: string, lang: Lang): FlowText | undefined {
  return TEXTS[flowId]?.[lang];
}

/** A flow's name as the admin reads it: the translation of a shipped flow, else its own name, else its id. */
export function flowName(flowId: string | null | undefined, lang: Lang, own?: string): string {
  if (!flowId) return '—';
  return TEXTS[flowId]?.[lang].name ?? own ?? flowId;
}

/** Every shipped flow's texts in one language, for the untranslated-text check. */
export function allFlowTexts(lang: Lang): FlowText[] {
  return Object.values(TEXTS).map((t) => t[lang]);
}
