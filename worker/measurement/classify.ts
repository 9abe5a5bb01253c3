/**
 * Which opens and clicks a person made. Postmark does not say whether an open came from Apple Mail Privacy
 * Protection, Gmail's image proxy or a security scanner, so this decides from what the request tells:
 * the user agent (a proxy or bot names itself; Apple's MPP prefetch sends a bare "Mozilla/5.0"), the
 * method (scanners probe links with HEAD), and how soon after the send it happened (a machine fetches
 * within seconds of delivery, a person rarely does). Machine opens and filtered clicks are counted apart,
 * never as engagement, and never credited with an order.
 */

/** An open this soon after the hand-off to the provider is taken for a prefetch (MPP, proxy, scanner). */
export const MACHINE_OPEN_SECONDS = 5;
/** A click this soon after the hand-off is taken for a link scanner following every link. */
export const SCANNER_CLICK_SECONDS = 10;

const PROXY_AGENT = /GoogleImageProxy|ggpht\.com|YahooMailProxy|Outlook-Proxy|Mail Privacy Protection/i;
const BOT_AGENT = /bot\b|bot\/|crawl|spider|scanner|preview|headless|python-|curl\/|wget|go-http-client|java\/|okhttp|barracuda|mimecast|proofpoint|safelinks|symantec|forcepoint/i;
/** Apple's MPP prefetch: a user agent of exactly "Mozilla/5.0", nothing more. */
const BARE_AGENT = /^Mozilla\/5\.0$/;

export type EngagementFacts = {
  userAgent: string | null | undefined;
  /** When the open or click happened (ms). */
  at: number;
  /** When the message was handed to the provider (ms), when known. */
  sentAt: number | null;
  method?: string | undefined;
};

function machineAgent(userAgent: string | null | undefined): boolean {
  const agent = (userAgent ?? '').trim();
  return agent === '' || BARE_AGENT.test(agent) || PROXY_AGENT.test(agent) || BOT_AGENT.test(agent);
}

function within(facts: EngagementFacts, seconds: number): boolean {
  return facts.sentAt !== null && facts.at - facts.sentAt < seconds * 1000;
}

export function isHumanOpen(facts: EngagementFacts): boolean {
  return !machineAgent(facts.userAgent) && !within(facts, MACHINE_OPEN_SECONDS);
}

export function isHumanClick(facts: EngagementFacts): boolean {
  if ((facts.method ?? 'GET').toUpperCase() === 'HEAD') return false;
  const agent = (facts.userAgent ?? '').trim();
  return agent !== '' && !BOT_AGENT.test(agent) && !within(facts, SCANNER_CLICK_SECONDS);
}
