<?php
/**
 * Cart hooks become signed events, sent once at shutdown.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

final class CartEventsTest extends Nightshift_Test_Case {

	private Nightshift_Event_Queue $queue;

	protected function setUp(): void {
		parent::setUp();
		$settings    = $this->connected_settings();
		$this->queue = new Nightshift_Event_Queue( new Nightshift_Client( $settings ), new Nightshift_Visitor() );
		$this->queue->register();
		( new Nightshift_Cart_Events( $this->queue ) )->register();
		Test_World::$products[42] = new WC_Product( 42, 'Crème <b>brûlée</b>', '12.50', 9 );
		Test_World::$products[61] = new WC_Product( 61, 'Mug - Large', '8', 0 );
		$_COOKIE['ns_vid']        = 'v_fromthetracker';
	}

	public function test_add_remove_and_snapshot_travel_in_one_signed_batch_at_shutdown(): void {
		Test_World::$cart->add_to_cart( 42, 2 );
		do_action( 'woocommerce_add_to_cart', 'k1', 42, 2, 0, array(), array() );
		$key = Test_World::$cart->add_to_cart( 57, 1, 61 );
		do_action( 'woocommerce_add_to_cart', $key, 57, 1, 61, array(), array() );
		Test_World::$cart->removed_cart_contents[ $key ] = Test_World::$cart->cart_contents[ $key ];
		unset( Test_World::$cart->cart_contents[ $key ] );
		do_action( 'woocommerce_cart_item_removed', $key, Test_World::$cart );
		$this->assertSame( array(), Test_World::$http, 'nothing leaves before shutdown' );

		do_action( 'shutdown' );

		$batches = $this->collect_batches();
		$this->assertCount( 1, $batches );
		$this->assertSame( 'demo-shop', $batches[0]['store'] );
		$this->assertSame( 'v_fromthetracker', $batches[0]['visitorId'] );
		$events = $batches[0]['events'];
		$this->assertSame( array( 'add_to_cart', 'add_to_cart', 'remove_from_cart', 'cart_updated' ), array_column( $events, 'type' ) );
		$this->assertSame( array( 'productId' => 42, 'quantity' => 2, 'price' => 12.5, 'name' => 'Crème brûlée' ), array_diff_key( $events[0], array_flip( array( 'id', 'type', 'ts' ) ) ) );
		$this->assertSame( 61, $events[1]['variationId'] );
		$this->assertSame( array( 'productId' => 57, 'variationId' => 61, 'quantity' => 1 ), array_diff_key( $events[2], array_flip( array( 'id', 'type', 'ts' ) ) ) );
		$this->assertSame(
			array(
				'items'    => array(
					array(
						'productId' => 42,
						'name'      => 'Crème brûlée',
						'quantity'  => 2,
						'price'     => 12.5,
						'image'     => 'https://shop.example.com/wp-content/uploads/9-300x300.jpg',
						'url'       => 'https://shop.example.com/?p=42',
					),
				),
				'value'    => 25,
				'currency' => 'EUR',
			),
			$events[3]['cart']
		);
		foreach ( $events as $event ) {
			$this->assertMatchesRegularExpression( '/^[A-Za-z0-9_-]{8,64}$/', $event['id'] );
			$this->assertIsInt( $event['ts'] );
		}
		$this->assertCount( 4, array_unique( array_column( $events, 'id' ) ) );
	}

	public function test_a_quiet_request_sends_nothing(): void {
		do_action( 'shutdown' );
		$this->assertSame( array(), Test_World::$http );
	}

	public function test_a_quantity_change_sends_only_the_snapshot(): void {
		Test_World::$cart->add_to_cart( 61, 3 );
		do_action( 'woocommerce_after_cart_item_quantity_update', 'k', 3, 1, Test_World::$cart );
		do_action( 'shutdown' );
		$events = $this->collect_batches()[0]['events'];
		$this->assertSame( array( 'cart_updated' ), array_column( $events, 'type' ) );
		$this->assertSame( 24, $events[0]['cart']['value'], 'whole amounts encode as JSON integers' );
		$this->assertArrayNotHasKey( 'image', $events[0]['cart']['items'][0] );
	}

	public function test_without_a_tracker_cookie_a_visitor_id_is_created(): void {
		unset( $_COOKIE['ns_vid'] );
		Test_World::$cart->add_to_cart( 61, 1 );
		do_action( 'woocommerce_add_to_cart', 'k', 61, 1, 0, array(), array() );
		do_action( 'shutdown' );
		$this->assertMatchesRegularExpression( '/^v_[a-z0-9]{22}$/', $this->collect_batches()[0]['visitorId'] );
	}

	public function test_an_exception_in_the_transport_never_reaches_the_shop(): void {
		Test_World::$http_responses[] = new RuntimeException( 'transport exploded' );
		Test_World::$cart->add_to_cart( 61, 1 );
		do_action( 'woocommerce_add_to_cart', 'k', 61, 1, 0, array(), array() );
		do_action( 'shutdown' );
		$this->assertCount( 1, Test_World::$http );
		$this->assertSame( array(), $this->queue->pending() );
	}
}
