<?php
/**
 * Placed orders and emptied carts as signed server events.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Tells Nightshift the moment an order is placed, so the cart reminders stop at once instead of waiting for the
 * order webhook (WooCommerce delivers it through Action Scheduler, minutes later on a quiet site). The classic
 * checkout fires `woocommerce_checkout_order_processed`; the block checkout's Store API fires only
 * `woocommerce_store_api_checkout_order_processed`. Both run before payment, so the order may still be pending:
 * a cheque, a bank transfer or cash on delivery is a placed order too. Events travel in the request's one
 * non-blocking batch at shutdown; the shopper never waits for Nightshift.
 */
final class Nightshift_Order_Events {

	/** The worker accepts up to 200 lines per order. */
	const MAX_LINES = 200;

	/**
	 * Queue.
	 *
	 * @var Nightshift_Event_Queue
	 */
	private $queue;

	/**
	 * Orders already reported in this request (a plugin may fire both hooks).
	 *
	 * @var array<int,bool>
	 */
	private $sent = array();

	/**
	 * Constructor.
	 *
	 * @param Nightshift_Event_Queue $queue Queue.
	 */
	public function __construct( Nightshift_Event_Queue $queue ) {
		$this->queue = $queue;
	}

	/**
	 * Hooks into both checkouts and the cart. After the consent capture (priority 10), so its identify travels first.
	 */
	public function register() {
		add_action( 'woocommerce_checkout_order_processed', array( $this, 'on_classic_order' ), 20, 3 );
		add_action( 'woocommerce_store_api_checkout_order_processed', array( $this, 'on_store_api_order' ), 20, 1 );
		add_action( 'woocommerce_cart_emptied', array( $this, 'on_cart_emptied' ), 10, 1 );
	}

	/**
	 * Handles woocommerce_checkout_order_processed (classic shortcode checkout).
	 *
	 * @param int      $order_id    Order id.
	 * @param array    $posted_data Posted checkout data.
	 * @param WC_Order $order       Order.
	 */
	public function on_classic_order( $order_id, $posted_data, $order ) {
		$this->report( $order, 'checkout' );
	}

	/**
	 * Handles woocommerce_store_api_checkout_order_processed (block checkout).
	 *
	 * @param WC_Order $order Order.
	 */
	public function on_store_api_order( $order ) {
		$this->report( $order, 'store-api' );
	}

	/**
	 * Handles woocommerce_cart_emptied. Logging out empties the session's cart but keeps the persistent one
	 * (`$clear_persistent_cart` false): the shopper still has that cart, so nothing is reported then.
	 *
	 * @param bool $clear_persistent_cart Whether the saved cart goes too.
	 */
	public function on_cart_emptied( $clear_persistent_cart = true ) {
		if ( ! $clear_persistent_cart || ! function_exists( 'get_woocommerce_currency' ) ) {
			return;
		}
		$this->queue->add(
			'cart_updated',
			array(
				'cart' => array(
					'items'    => array(),
					'value'    => 0,
					'currency' => get_woocommerce_currency(),
				),
			)
		);
	}

	/**
	 * Queues one order_placed event per order.
	 *
	 * @param WC_Order $order Order.
	 * @param string   $via   checkout|store-api.
	 */
	private function report( $order, $via ) {
		if ( ! is_object( $order ) || ! is_callable( array( $order, 'get_id' ) ) ) {
			return;
		}
		$id = (int) $order->get_id();
		if ( $id <= 0 || isset( $this->sent[ $id ] ) ) {
			return;
		}
		$this->sent[ $id ] = true;
		$this->queue->add( 'order_placed', self::props( $order, $via ) );
	}

	/**
	 * The order as the worker's `order_placed` contract describes it.
	 *
	 * @param WC_Order $order Order.
	 * @param string   $via   checkout|store-api.
	 * @return array
	 */
	public static function props( $order, $via ) {
		$props = array(
			'orderId' => (int) $order->get_id(),
			'number'  => mb_substr( (string) $order->get_order_number(), 0, 40 ),
			'status'  => (string) $order->get_status(),
			'total'   => max( 0.0, (float) $order->get_total() ),
			'via'     => $via,
			'items'   => self::lines( $order ),
		);
		$coupons = is_callable( array( $order, 'get_coupon_codes' ) ) ? array_slice( array_map( 'strval', (array) $order->get_coupon_codes() ), 0, 50 ) : array();
		if ( array() !== $coupons ) {
			$props['couponCodes'] = array_values( $coupons );
		}
		$currency = (string) $order->get_currency();
		if ( preg_match( '/^[A-Z]{3}$/', $currency ) ) {
			$props['currency'] = $currency;
		}
		$email = sanitize_email( (string) $order->get_billing_email() );
		if ( '' !== $email && is_email( $email ) && strlen( $email ) <= 254 ) {
			$props['email'] = $email;
		}
		if ( (int) $order->get_customer_id() > 0 ) {
			$props['customerId'] = (int) $order->get_customer_id();
		}
		return $props;
	}

	/**
	 * Product lines: ids, quantity, unit price and line total.
	 *
	 * @param WC_Order $order Order.
	 * @return array[]
	 */
	private static function lines( $order ) {
		$lines = array();
		foreach ( $order->get_items() as $item ) {
			if ( count( $lines ) >= self::MAX_LINES || ! is_callable( array( $item, 'get_product_id' ) ) || (int) $item->get_product_id() <= 0 ) {
				continue;
			}
			$quantity = max( 1, (int) $item->get_quantity() );
			$total    = max( 0.0, (float) $item->get_total() );
			$line     = array(
				'productId' => (int) $item->get_product_id(),
				'quantity'  => $quantity,
				'price'     => round( $total / $quantity, 4 ),
				'total'     => $total,
			);
			if ( (int) $item->get_variation_id() > 0 ) {
				$line['variationId'] = (int) $item->get_variation_id();
			}
			$lines[] = $line;
		}
		return $lines;
	}
}
