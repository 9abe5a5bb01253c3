<?php
/**
 * A placed order (classic or block checkout) and an emptied cart reach Nightshift in the request's signed batch.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

require_once dirname( __DIR__ ) . '/includes/class-nightshift-order-events.php';

/** An order line as WC_Order_Item_Product answers. */
final class Test_Order_Line {
	public function __construct( private int $product, private int $variation, private int $quantity, private string $total ) {}
	public function get_product_id() { return $this->product; }
	public function get_variation_id() { return $this->variation; }
	public function get_quantity() { return $this->quantity; }
	public function get_total() { return $this->total; }
}

/** The getters of WC_Order the plugin reads, with the values of the captured Store API order 31 (cheque). */
final class Test_Placed_Order {
	public array $data = array(
		'id' => 31, 'order_number' => '31', 'status' => 'pending', 'total' => '78.80', 'currency' => 'EUR',
		'billing_email' => 'elodie.bloc2@example.fr', 'customer_id' => 0, 'coupon_codes' => array(),
	);
	public function __call( $method, $args ) {
		$key = substr( $method, 4 );
		if ( array_key_exists( $key, $this->data ) ) {
			return $this->data[ $key ];
		}
		throw new BadMethodCallException( $method );
	}
	public function get_items() {
		return array( new Test_Order_Line( 13, 0, 1, '19.90' ), new Test_Order_Line( 14, 15, 2, '58.90' ) );
	}
}

final class OrderEventsTest extends Nightshift_Test_Case {

	private Nightshift_Event_Queue $queue;

	protected function setUp(): void {
		parent::setUp();
		$this->queue = new Nightshift_Event_Queue( new Nightshift_Client( $this->connected_settings() ), new Nightshift_Visitor() );
		$this->queue->register();
		( new Nightshift_Order_Events( $this->queue ) )->register();
		$_COOKIE['ns_vid'] = 'v_ordervisitor';
	}

	private function signed_events(): array {
		$this->assertCount( 1, Test_World::$http );
		$request = Test_World::$http[0];
		$this->assertFalse( $request['args']['blocking'], 'the shopper never waits for Nightshift' );
		$this->assertMatchesRegularExpression( '/^t=\d+,v1=[0-9a-f]{64}$/', $request['args']['headers']['X-Nightshift-Signature'] );
		$t = (int) substr( explode( ',', $request['args']['headers']['X-Nightshift-Signature'] )[0], 2 );
		$this->assertSame( ( new Nightshift_Signer( self::SECRET ) )->signature_header( $request['args']['body'], $t ), $request['args']['headers']['X-Nightshift-Signature'] );
		return $this->collect_batches()[0]['events'];
	}

	public function test_a_block_checkout_order_is_reported_at_shutdown_signed(): void {
		do_action( 'woocommerce_store_api_checkout_order_processed', new Test_Placed_Order() );
		$this->assertSame( array(), Test_World::$http, 'nothing leaves before shutdown' );
		do_action( 'shutdown' );
		$events = $this->signed_events();
		$this->assertSame( array( 'order_placed' ), array_column( $events, 'type' ) );
		$this->assertSame(
			array(
				'orderId'  => 31,
				'number'   => '31',
				'status'   => 'pending',
				'total'    => 78.8,
				'via'      => 'store-api',
				'items'    => array(
					array( 'productId' => 13, 'quantity' => 1, 'price' => 19.9, 'total' => 19.9 ),
					array( 'productId' => 14, 'quantity' => 2, 'price' => 29.45, 'total' => 58.9, 'variationId' => 15 ),
				),
				'currency' => 'EUR',
				'email'    => 'elodie.bloc2@example.fr',
			),
			array_diff_key( $events[0], array_flip( array( 'id', 'type', 'ts' ) ) )
		);
	}

	public function test_a_classic_checkout_order_by_a_customer_travels_after_the_consent_identify(): void {
		$checkout = new Nightshift_Checkout( $this->queue, new Nightshift_Consent() );
		$checkout->register();
		$order    = new WC_Order( array( 'email' => 'camille.martin@example.fr', 'phone' => '', 'first_name' => 'Camille', 'last_name' => 'Martin' ) );
		$placed   = new Test_Placed_Order();
		$placed->data = array_merge( $placed->data, array( 'id' => 29, 'order_number' => '29', 'billing_email' => 'camille.martin@example.fr', 'customer_id' => 3, 'coupon_codes' => array( 'bienvenue10' ) ) );
		// The consent capture reads a WC_Order; this double answers both sets of getters.
		$both = new class( $order, $placed ) {
			public function __construct( private $a, private $b ) {}
			public function __call( $m, $args ) {
				try {
					return $this->b->$m( ...$args );
				} catch ( BadMethodCallException $e ) {
					return $this->a->$m( ...$args );
				}
			}
		};
		do_action( 'woocommerce_checkout_order_processed', 29, array(), $both );
		do_action( 'shutdown' );
		$events = $this->signed_events();
		$this->assertSame( array( 'identify', 'order_placed' ), array_column( $events, 'type' ) );
		$this->assertSame( 3, $events[1]['customerId'] );
		$this->assertSame( array( 'bienvenue10' ), $events[1]['couponCodes'] );
		$this->assertSame( 'checkout', $events[1]['via'] );
	}

	public function test_an_order_seen_by_both_hooks_is_reported_once(): void {
		$order = new Test_Placed_Order();
		do_action( 'woocommerce_store_api_checkout_order_processed', $order );
		do_action( 'woocommerce_checkout_order_processed', 31, array(), $order );
		do_action( 'shutdown' );
		$this->assertCount( 1, $this->signed_events() );
	}

	public function test_an_emptied_cart_is_reported_but_a_logout_is_not(): void {
		do_action( 'woocommerce_cart_emptied', false );
		do_action( 'shutdown' );
		$this->assertSame( array(), Test_World::$http, 'logging out keeps the saved cart' );

		do_action( 'woocommerce_cart_emptied', true );
		do_action( 'shutdown' );
		$events = $this->signed_events();
		$this->assertSame( 'cart_updated', $events[0]['type'] );
		$this->assertSame( array( 'items' => array(), 'value' => 0, 'currency' => 'EUR' ), $events[0]['cart'] );
	}

	public function test_a_connected_store_listens_to_both_checkouts_the_emptied_cart_and_the_tick(): void {
		Test_World::reset();
		$this->connected_settings();
		Nightshift_Plugin::bootstrap();
		foreach ( array( 'woocommerce_checkout_order_processed', 'woocommerce_store_api_checkout_order_processed', 'woocommerce_cart_emptied', 'rest_api_init' ) as $hook ) {
			$this->assertArrayHasKey( $hook, Test_World::$actions, $hook );
		}
	}
}
