import type { Child } from 'hono/jsx';
import type { Locale } from '../messaging/templates';

const BASE_STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:8vh auto;padding:0 1rem;color:#222}button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #333;background:#222;color:#fff;cursor:pointer}';

/** The shell of every page a shopper reaches from an email link: unsubscribe, preferences, confirmation. */
export function ShopperPage(props: { lang: Locale; title: string; style?: string; children: Child }) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        {/* No favicon request: these pages are reached by token, nothing else should be fetched. */}
        <link rel="icon" href="data:," />
        <title>{props.title}</title>
        <style>{BASE_STYLE + (props.style ?? '')}</style>
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
