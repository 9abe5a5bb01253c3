<?php
/**
 * What the tracker needs to know about the page: its type, the product, the category, the cart.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Adds `page` to `window.nightshiftConfig` (the tracker's inline script). It is computed from WordPress's
 * query and WooCommerce's cart on `wp_enqueue_scripts`, which classic and block themes both run, so it does
 * not depend on classic template hooks (`woocommerce_single_product_summary`, ...) that block themes never fire.
 */
final class Nightshift_Page_Context {

	/** The worker accepts up to 50 category ids on a product view. */
	const MAX_CATEGORIES = 50;

	/**
	 * Hooks into the tracker configuration.
	 */
	public function register() {
		add_filter( 'nightshift_bridge_tracker_config', array( $this, 'add_to_config' ), 10, 1 );
	}

	/**
	 * Filter callback: the configuration with the page context.
	 *
	 * @param array $config Tracker configuration.
	 * @return array
	 */
	public function add_to_config( $config ) {
		$config['page'] = $this->context();
		return $config;
	}

	/**
	 * The context of the current request.
	 *
	 * @return array{type: string, product?: array, category?: array, cart?: array}
	 */
	public function context() {
		$page = array( 'type' => self::type() );
		if ( 'product' === $page['type'] ) {
			$product = wc_get_product( get_queried_object_id() );
			if ( $product ) {
				$page['product'] = self::product( $product );
			}
		} elseif ( 'category' === $page['type'] ) {
			$term = get_queried_object();
			if ( $term && ! empty( $term->term_id ) ) {
				$page['category'] = array(
					'categoryId' => (int) $term->term_id,
					'name'       => mb_substr( wp_strip_all_tags( (string) $term->name ), 0, 500 ),
				);
			}
		}
		// Only where WooCommerce forbids page caching (DONOTCACHEPAGE): a cached product page would hand one
		// shopper's cart to every visitor. Elsewhere the signed cart events carry every change.
		$cart = function_exists( 'WC' ) && in_array( $page['type'], array( 'cart', 'checkout' ), true ) ? WC()->cart : null;
		if ( $cart && ! $cart->is_empty() ) {
			$page['cart'] = Nightshift_Cart_Events::snapshot( $cart );
		}
		return (array) apply_filters( 'nightshift_bridge_page_context', $page );
	}

	/**
	 * The page type; the order matters (the order-received page is also a checkout page).
	 *
	 * @return string
	 */
	private static function type() {
		if ( is_product() ) {
			return 'product';
		}
		if ( is_product_category() ) {
			return 'category';
		}
		if ( is_order_received_page() ) {
			return 'order_received';
		}
		if ( is_checkout() ) {
			return 'checkout';
		}
		if ( is_cart() ) {
			return 'cart';
		}
		return is_shop() ? 'shop' : 'other';
	}

	/**
	 * The product view: ids, the variation chosen by the URL or the defaults, name, price, categories.
	 *
	 * @param WC_Product $product Product.
	 * @return array
	 */
	private static function product( $product ) {
		$data      = array( 'productId' => (int) $product->get_id() );
		$variation = self::variation( $product );
		if ( $variation ) {
			$data['variationId'] = (int) $variation->get_id();
		}
		$data['name'] = mb_substr( wp_strip_all_tags( (string) $product->get_name() ), 0, 500 );
		$price        = ( $variation ? $variation : $product )->get_price();
		if ( '' !== $price && null !== $price ) {
			$data['price'] = max( 0.0, (float) $price );
		}
		$categories = array_slice( array_values( array_filter( array_map( 'intval', (array) $product->get_category_ids() ) ) ), 0, self::MAX_CATEGORIES );
		if ( array() !== $categories ) {
			$data['categoryIds'] = $categories;
		}
		return $data;
	}

	/**
	 * The variation a variable product page shows on load: `?attribute_pa_size=large` links, else the defaults.
	 *
	 * @param WC_Product $product Product.
	 * @return WC_Product|null
	 */
	private static function variation( $product ) {
		if ( ! $product->is_type( 'variable' ) ) {
			return null;
		}
		$attributes = array();
		foreach ( (array) $product->get_default_attributes() as $name => $value ) {
			$attributes[ 'attribute_' . sanitize_title( $name ) ] = (string) $value;
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- read-only, like WooCommerce's own variation links.
		foreach ( $_GET as $name => $value ) {
			if ( is_string( $value ) && 0 === strpos( (string) $name, 'attribute_' ) ) {
				$attributes[ sanitize_title( wp_unslash( $name ) ) ] = sanitize_text_field( wp_unslash( $value ) );
			}
		}
		if ( array() === $attributes ) {
			return null;
		}
		$id = (int) WC_Data_Store::load( 'product' )->find_matching_product_variation( $product, $attributes );
		$variation = $id > 0 ? wc_get_product( $id ) : null;
		return $variation ? $variation : null;
	}
}
