<?php
/**
 * Cart activity as signed server events.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Turns WooCommerce cart hooks into add_to_cart, remove_from_cart and cart_updated events, so a
 * cart can be recovered even when the browser blocks the tracker.
 */
final class Nightshift_Cart_Events {

	/** The worker accepts up to 200 lines; 100 keeps a batch far below its 64 KB limit. */
	const MAX_ITEMS = 100;

	/**
	 * Queue.
	 *
	 * @var Nightshift_Event_Queue
	 */
	private $queue;

	/**
	 * Whether the cart changed during this request.
	 *
	 * @var bool
	 */
	private $dirty = false;

	/**
	 * Constructor.
	 *
	 * @param Nightshift_Event_Queue $queue Queue.
	 */
	public function __construct( Nightshift_Event_Queue $queue ) {
		$this->queue = $queue;
	}

	/**
	 * Hooks into the cart.
	 */
	public function register() {
		add_action( 'woocommerce_add_to_cart', array( $this, 'on_add_to_cart' ), 10, 4 );
		add_action( 'woocommerce_cart_item_removed', array( $this, 'on_item_removed' ), 10, 2 );
		add_action( 'woocommerce_after_cart_item_quantity_update', array( $this, 'on_quantity_updated' ), 10, 0 );
		// Before the queue flushes (priority 100) so the snapshot travels in the same batch.
		add_action( 'shutdown', array( $this, 'queue_snapshot' ), 50 );
	}

	/**
	 * Handles woocommerce_add_to_cart.
	 *
	 * @param string $cart_item_key Cart item key.
	 * @param int    $product_id    Product id.
	 * @param int    $quantity      Quantity added.
	 * @param int    $variation_id  Variation id.
	 */
	public function on_add_to_cart( $cart_item_key, $product_id, $quantity, $variation_id ) {
		$product = wc_get_product( $variation_id ? $variation_id : $product_id );
		$props   = self::line_ids( $product_id, $variation_id ) + array( 'quantity' => max( 1, (int) $quantity ) );
		if ( $product ) {
			$props['price'] = self::price( $product );
			$props['name']  = self::text( $product->get_name() );
		}
		$this->queue->add( 'add_to_cart', $props );
		$this->dirty = true;
	}

	/**
	 * Handles woocommerce_cart_item_removed.
	 *
	 * @param string  $cart_item_key Key of the removed line.
	 * @param WC_Cart $cart          Cart.
	 */
	public function on_item_removed( $cart_item_key, $cart ) {
		$removed = isset( $cart->removed_cart_contents[ $cart_item_key ] ) ? $cart->removed_cart_contents[ $cart_item_key ] : null;
		if ( is_array( $removed ) && ! empty( $removed['product_id'] ) ) {
			$props = self::line_ids( $removed['product_id'], isset( $removed['variation_id'] ) ? $removed['variation_id'] : 0 );
			if ( ! empty( $removed['quantity'] ) ) {
				$props['quantity'] = (int) $removed['quantity'];
			}
			$this->queue->add( 'remove_from_cart', $props );
		}
		$this->dirty = true;
	}

	/**
	 * Handles woocommerce_after_cart_item_quantity_update.
	 */
	public function on_quantity_updated() {
		$this->dirty = true;
	}

	/**
	 * Queues one cart_updated snapshot when the cart changed during the request.
	 */
	public function queue_snapshot() {
		if ( ! $this->dirty || ! function_exists( 'WC' ) || ! WC()->cart ) {
			return;
		}
		$this->dirty = false;
		$this->queue->add( 'cart_updated', array( 'cart' => self::snapshot( WC()->cart ) ) );
	}

	/**
	 * The cart as the beacon contract describes it: items, value, currency.
	 *
	 * @param WC_Cart $cart Cart.
	 * @return array
	 */
	public static function snapshot( $cart ) {
		$items = array();
		$value = 0.0;
		foreach ( $cart->get_cart() as $line ) {
			$product = isset( $line['data'] ) ? $line['data'] : null;
			if ( ! $product instanceof WC_Product || count( $items ) >= self::MAX_ITEMS ) {
				continue;
			}
			$quantity = max( 1, (int) $line['quantity'] );
			$item     = self::line_ids( $line['product_id'], isset( $line['variation_id'] ) ? $line['variation_id'] : 0 ) + array(
				'name'     => self::text( $product->get_name() ),
				'quantity' => $quantity,
				'price'    => self::price( $product ),
			);
			$image    = $product->get_image_id() ? wp_get_attachment_image_url( $product->get_image_id(), 'woocommerce_thumbnail' ) : false;
			if ( $image ) {
				$item['image'] = $image;
			}
			$item['url'] = $product->get_permalink();
			$value      += $item['price'] * $quantity;
			$items[]     = $item;
		}
		return array(
			'items'    => $items,
			'value'    => round( $value, wc_get_price_decimals() ),
			'currency' => get_woocommerce_currency(),
		);
	}

	/**
	 * Product and (when set) variation ids.
	 *
	 * @param int $product_id   Product id.
	 * @param int $variation_id Variation id.
	 * @return array
	 */
	private static function line_ids( $product_id, $variation_id ) {
		$ids = array( 'productId' => (int) $product_id );
		if ( (int) $variation_id > 0 ) {
			$ids['variationId'] = (int) $variation_id;
		}
		return $ids;
	}

	/**
	 * Unit price as a non-negative number.
	 *
	 * @param WC_Product $product Product.
	 * @return float
	 */
	private static function price( $product ) {
		return max( 0.0, (float) $product->get_price() );
	}

	/**
	 * Plain text within the worker's 500-character limit.
	 *
	 * @param string $text Text.
	 * @return string
	 */
	private static function text( $text ) {
		return mb_substr( wp_strip_all_tags( (string) $text ), 0, 500 );
	}
}
