// Block-theme pages of the fake store (a Twenty Twenty-Five-like theme with WooCommerce's product blocks): no
// jQuery add-to-cart events, only the plugin's page context and WooCommerce Blocks' behaviour: the product
// button and the add-to-cart form call the Store API, then dispatch `wc-blocks_added_to_cart` on document.body.
import { DEMO } from './local-worker.mjs';
import { CATALOGUE, pluginConfigScript } from './fake-plugin.mjs';

const STYLE = `<style>
  body { font: 16px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 40rem; color: #222; }
  .wp-block-button__link { font: inherit; padding: .5rem 1rem; background: #1e6f50; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  .wc-block-product-template { list-style: none; padding: 0; display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
  .wc-block-product { border: 1px solid #ddd; border-radius: 8px; padding: 1rem; }
  #status { margin-top: 1rem; color: #2a7; min-height: 1.4em; }
</style>`;

// What WooCommerce Blocks do after a successful `POST /wc/store/v1/cart/add-item`.
const STORE_API = `<script>
  async function nsAddToCart(id, quantity, variationId) {
    await fetch('/wp-json/wc/store/v1/cart/add-item', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: id, quantity: quantity, variation_id: variationId || 0 }) });
    document.body.dispatchEvent(new CustomEvent('wc-blocks_added_to_cart', { bubbles: true, cancelable: true, detail: { preserveCartData: false } }));
    document.getElementById('status').textContent = 'Ajouté au panier';
  }
</script>`;

function layout({ title, context, snippet, main }) {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>${title} – Boutique de nuit</title>
${STYLE}
${pluginConfigScript(context)}
<script src="${snippet}" id="nightshift-tracker-js" async data-wp-strategy="async"></script>
</head>
<body class="wp-embed-responsive theme-twentytwentyfive woocommerce-js">
<div class="wp-site-blocks">
<header class="wp-block-template-part"><p class="wp-block-site-title">Boutique de nuit</p></header>
<main class="wp-block-group">
${main}
<div id="status"></div>
</main>
</div>
${STORE_API}
</body>
</html>`;
}

/** A single product page: the Add to Cart with Options block (quantity and variation fields, no product id on the button). */
function productPage(snippet) {
  const main = `<h1 class="wp-block-post-title">${CATALOGUE[12].name}</h1>
<p class="wc-block-components-product-price">8,90 €</p>
<form class="wc-block-add-to-cart-form wp-block-add-to-cart-with-options" id="add-form">
  <label>Parfum <select name="attribute_pa_parfum"><option value="lavande" selected>Lavande</option></select></label>
  <input type="hidden" name="variation_id" value="31">
  <label>Quantité <input type="number" name="quantity" id="quantity" value="1" min="1"></label>
  <button type="submit" id="add" class="single_add_to_cart_button wp-block-button__link wp-element-button">Ajouter au panier</button>
</form>
<script>
  document.getElementById('add-form').addEventListener('submit', function (e) {
    e.preventDefault();
    nsAddToCart(12, Number(document.getElementById('quantity').value), 31);
  });
</script>`;
  return layout({ title: CATALOGUE[12].name, context: 'product', snippet, main });
}

/** A product category page: the Product Collection block with WooCommerce's product button markup. */
function categoryPage(snippet) {
  const main = `<h1 class="wp-block-query-title">Savons &amp; bains</h1>
<ul class="wc-block-product-template">
  <li class="wc-block-product"><h2>${CATALOGUE[44].name}</h2>
    <div class="wp-block-button wc-block-components-product-button" data-wc-interactive='{"namespace":"woocommerce\\/product-button"}' data-wc-context='{"quantityToAdd":1,"productId":44}'>
      <button class="wp-block-button__link wp-element-button wc-block-components-product-button__button add_to_cart_button ajax_add_to_cart product_type_simple wc-interactive" data-product_id="44" data-product_sku="" aria-label="Ajouter au panier : “${CATALOGUE[44].name}”" rel="nofollow" data-wc-on--click="actions.addToCart"><span>Ajouter au panier</span></button>
    </div>
  </li>
</ul>
<script>
  document.querySelector('[data-product_id="44"]').addEventListener('click', function () {
    nsAddToCart(44, 1, 0);
  });
</script>`;
  return layout({ title: 'Savons & bains', context: 'category', snippet, main });
}

/** Paths of the block-theme pages, with the plugin's snippet (`tracker.js?store=`). */
export function blockThemePages(workerUrl) {
  const snippet = `${workerUrl}/tracker.js?store=${DEMO.storeId}`;
  return { '/block/product': productPage(snippet), '/block/category': categoryPage(snippet) };
}
