import type { ProductFacts } from '../db/queries/order-history';
import { money } from '../messaging/email/render';
import type { RecKind } from './serve';

export type Lang = 'fr' | 'en';
export const langOf = (locale: string): Lang => (locale.toLowerCase().startsWith('fr') ? 'fr' : 'en');

const HEADINGS: Record<Lang, Record<RecKind, string>> = {
  fr: {
    bought_together: 'Souvent achetés ensemble',
    bestsellers: 'Meilleures ventes',
    recently_viewed: 'Vus récemment',
    new: 'Nouveautés',
    personal: 'Sélectionnés pour vous',
  },
  en: {
    bought_together: 'Frequently bought together',
    bestsellers: 'Bestsellers',
    recently_viewed: 'Recently viewed',
    new: 'New arrivals',
    personal: 'Picked for you',
  },
};

export type RecItem = { id: number; name: string; price: number | null; priceText: string; url: string; image: string | null };

/** What a widget shows of a product, the price already written in the store's locale and currency. */
export function recItem(p: ProductFacts, locale: string, currency: string): RecItem {
  return {
    id: p.id,
    name: p.name,
    price: p.price,
    // WordPress writes locales as fr_FR; Intl wants fr-FR.
    priceText: p.price === null ? '' : money(p.price, currency, locale.replace('_', '-')),
    url: p.permalink ?? '',
    image: p.imageUrl,
  };
}

/**
 * The carousel's markup: a labelled list of product cards, each one link holding the image (its
 * alt is the product's name), the name and the price. Fixed image dimensions reserve the space.
 */
export function recFragment(kind: RecKind, lang: Lang, items: RecItem[]): string {
  const headingId = `ns-recs-${kind}`;
  const node = (
    <section class="ns-recs" data-kind={kind} aria-labelledby={headingId} lang={lang}>
      <h2 id={headingId}>{HEADINGS[lang][kind]}</h2>
      <ul role="list">
        {items.map((item) => (
          <li data-product={item.id}>
            <a href={item.url}>
              {item.image ? <img src={item.image} alt={item.name} width="160" height="160" loading="lazy" decoding="async" /> : null}
              <span class="ns-recs-name">{item.name}</span>
              <span class="ns-recs-price">{item.priceText}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
  return String(node);
}
