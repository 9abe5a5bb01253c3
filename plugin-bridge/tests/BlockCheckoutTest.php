<?php
/**
 * Block checkout: the same boxes, order meta and identify as the classic checkout; early email capture from
 * the Store API; the owner is warned when WooCommerce lacks the Additional Checkout Fields API.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

final class BlockCheckoutTest extends Nightshift_Test_Case {

	const ORDER_PROCESSED = __DIR__ . '/../../../shared/fixtures/woocommerce-more/plugin/checkout.order-processed.body';

	private Nightshift_Event_Queue $queue;
	private Nightshift_Block_Checkout $block;

	protected function setUp(): void {
		parent::setUp();
		$this->queue = new Nightshift_Event_Queue( new Nightshift_Client( $this->connected_settings() ), new Nightshift_Visitor() );
		$this->queue->register();
		$this->block = $this->block_checkout( null );
		$this->block->register();
		do_action( 'woocommerce_init' );
		$_COOKIE['ns_vid'] = 'v_blockcheckout1';
	}

	private function block_checkout( $fields_api ): Nightshift_Block_Checkout {
		return new Nightshift_Block_Checkout( new Nightshift_Checkout( $this->queue, new Nightshift_Consent() ), $this->queue, new Nightshift_Consent(), $fields_api );
	}

	/** An order as the Store API leaves it: billing data and the additional fields saved as `_wc_other/<id>` meta. */
	private function store_api_order( array $fields, int $customer_id = 0 ): Test_Store_Api_Order {
		$order              = new Test_Store_Api_Order( array( 'email' => 'camille.martin@example.fr', 'phone' => '+33611223344', 'first_name' => 'Camille', 'last_name' => 'Martin' ) );
		$order->customer_id = $customer_id;
		foreach ( $fields as $id => $value ) {
			$order->meta[ '_wc_other/' . $id ] = $value;
		}
		return $order;
	}

	private static function without_id_and_time( array $event ): array {
		return array_diff_key( $event, array( 'id' => 0, 'ts' => 0 ) );
	}

	public function test_the_boxes_and_the_birthday_are_registered_unticked_in_the_order_step_with_the_consent_wording(): void {
		$fields  = Test_World::$options['__checkout_fields'];
		$consent = new Nightshift_Consent();
		$this->assertSame( array( 'nightshift/email-consent', 'nightshift/sms-consent', 'nightshift/birthday' ), array_keys( $fields ) );
		foreach ( array( 'nightshift/email-consent' => $consent->email_label(), 'nightshift/sms-consent' => $consent->sms_label() ) as $id => $label ) {
			$this->assertSame( array( 'id' => $id, 'label' => $label, 'optionalLabel' => $label, 'location' => 'order', 'type' => 'checkbox' ), $fields[ $id ], 'optional, no default value, not saved to the account' );
		}
		$birthday = $fields['nightshift/birthday'];
		$this->assertSame( array( 'order', 'text', 'Birthday (YYYY-MM-DD)' ), array( $birthday['location'], $birthday['type'], $birthday['label'] ) );
		$this->assertSame( '\d{4}-\d{2}-\d{2}', $birthday['attributes']['pattern'] );
		$this->assertSame( '1990-05-14', call_user_func( $birthday['sanitize_callback'], ' 1990-05-14 ', $birthday ) );
		$this->assertNull( call_user_func( $birthday['validate_callback'], '1990-05-14', $birthday ) );
		$this->assertNull( call_user_func( $birthday['validate_callback'], '', $birthday ), 'optional' );
		$this->assertInstanceOf( WP_Error::class, call_user_func( $birthday['validate_callback'], '1990-02-30', $birthday ) );
	}

	/**
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_from_woocommerce_11_2_the_birthday_is_a_date_field(): void {
		define( 'WC_VERSION', '11.2.0' );
		Test_World::$options['__checkout_fields'] = array();
		$this->block->register_fields();
		$birthday = Test_World::$options['__checkout_fields']['nightshift/birthday'];
		$this->assertSame( array( 'date', 'Birthday' ), array( $birthday['type'], $birthday['label'] ) );
		$this->assertArrayNotHasKey( 'attributes', $birthday );
	}

	public function test_the_plugin_declares_itself_compatible_with_the_block_checkout(): void {
		$main = file_get_contents( dirname( __DIR__ ) . '/nightshift-bridge.php' );
		$this->assertStringContainsString( "declare_compatibility( 'cart_checkout_blocks', __FILE__, true )", $main );
	}

	public function test_a_store_api_order_records_the_same_meta_and_identify_as_the_classic_checkout(): void {
		$block = $this->store_api_order( array( 'nightshift/email-consent' => '1', 'nightshift/sms-consent' => '1' ) );
		do_action( 'woocommerce_store_api_checkout_update_order_from_request', $block, array() );
		$from_block = $this->queue->pending();

		$classic = new WC_Order( $block->billing );
		$_POST   = array( 'nightshift_email_consent' => '1', 'nightshift_sms_consent' => '1' );
		( new Nightshift_Checkout( $this->queue, new Nightshift_Consent() ) )->on_order_processed( 30, array(), $classic );
		$from_classic = array_slice( $this->queue->pending(), 1 );

		$this->assertSame( $classic->meta, array_diff_key( $block->meta, array_flip( array( '_wc_other/nightshift/email-consent', '_wc_other/nightshift/sms-consent' ) ) ) );
		$this->assertSame( 'yes', $block->meta['nightshift_consent_email'] );
		$this->assertSame( 1, $block->saved );
		$this->assertCount( 1, $from_block );
		$this->assertSame( array_map( array( __CLASS__, 'without_id_and_time' ), $from_classic ), array_map( array( __CLASS__, 'without_id_and_time' ), $from_block ) );
		$captured = json_decode( file_get_contents( self::ORDER_PROCESSED ), true )['events'][0];
		$keys_captured = array_keys( $captured );
		$keys_block    = array_keys( $from_block[0] );
		sort( $keys_captured );
		sort( $keys_block );
		$this->assertSame( $keys_captured, $keys_block, 'the fields of the captured classic checkout.order-processed request' );
		$this->assertSame( array_diff_key( $captured, array( 'id' => 0, 'ts' => 0, 'consent' => 0 ) ), array_diff_key( $from_block[0], array( 'id' => 0, 'ts' => 0, 'consent' => 0 ) ) );
		$this->assertSame( ( new Nightshift_Consent() )->flags( true, true ), $from_block[0]['consent'] );
	}

	public function test_unticked_boxes_are_recorded_as_the_classic_checkout_records_them(): void {
		$order = $this->store_api_order( array( 'nightshift/email-consent' => '0' ) );
		do_action( 'woocommerce_store_api_checkout_update_order_from_request', $order, array() );
		$this->assertSame( array( 'no', 'no' ), array( $order->meta['nightshift_consent_email'], $order->meta['nightshift_consent_sms'] ) );
		// Unticked boxes are no act: the identify carries no consent at all, so an earlier grant stands.
		$this->assertArrayNotHasKey( 'consent', $this->queue->pending()[0] );
	}

	public function test_a_birthday_from_the_block_checkout_is_sent_and_kept_on_the_customer(): void {
		do_action( 'woocommerce_store_api_checkout_update_order_from_request', $this->store_api_order( array( 'nightshift/birthday' => '1990-05-14' ), 7 ), array() );
		$events = $this->queue->pending();
		$this->assertSame( array( 'identify', 'identify' ), array_column( $events, 'type' ) );
		$this->assertSame( array( 'type' => 'identify', 'email' => 'camille.martin@example.fr', 'birthday' => '1990-05-14', 'source' => 'checkout' ), array_diff_key( $events[1], array( 'id' => 0, 'ts' => 0 ) ) );
		$this->assertSame( '1990-05-14', get_user_meta( 7, 'nightshift_birthday', true ) );

		Test_World::reset();
		$this->setUp();
		do_action( 'woocommerce_store_api_checkout_update_order_from_request', $this->store_api_order( array( 'nightshift/birthday' => '2999-01-01' ) ), array() );
		$this->assertCount( 1, $this->queue->pending(), 'an impossible birthday is not sent' );
	}

	public function test_the_email_sent_by_update_customer_is_captured_once_without_any_consent_with_the_cart(): void {
		Test_World::$products[12] = new WC_Product( 12, 'Savon artisanal lavande', '8.9' );
		Test_World::$cart->add_to_cart( 12, 2 );
		$typed = new WC_Customer( array( 'email' => 'camille.martin@example.fr', 'phone' => '+33611223344' ), array( 'billing' => array( 'email' => 'camille.martin@example.fr' ) ) );

		do_action( 'woocommerce_store_api_cart_update_customer_from_request', $typed, array() );
		do_action( 'woocommerce_store_api_cart_update_customer_from_request', new WC_Customer( $typed->billing, array( 'billing' => array( 'city' => 'Lyon' ) ) ), array() );
		do_action( 'shutdown' );

		$batches = $this->collect_batches();
		$this->assertCount( 1, $batches, 'an address change without a new email sends nothing' );
		$this->assertSame( 'v_blockcheckout1', $batches[0]['visitorId'] );
		$this->assertArrayHasKey( 'X-Nightshift-Signature', Test_World::$http[0]['args']['headers'] );
		$this->assertFalse( Test_World::$http[0]['args']['blocking'], 'the shopper\'s Store API request does not wait' );
		list( $identify, $started ) = $batches[0]['events'];
		$this->assertSame( array( 'type' => 'identify', 'email' => 'camille.martin@example.fr', 'source' => 'checkout', 'phone' => '+33611223344' ), array_diff_key( $identify, array( 'id' => 0, 'ts' => 0 ) ), 'a claim: no consent key at all, so nothing is withdrawn' );
		$this->assertSame( 'checkout_started', $started['type'] );
		$this->assertSame( 17.8, $started['cart']['value'] );
	}

	public function test_an_invalid_email_from_update_customer_sends_nothing(): void {
		do_action( 'woocommerce_store_api_cart_update_customer_from_request', new WC_Customer( array( 'email' => 'camille@' ), array( 'billing' => array( 'email' => 'camille@' ) ) ), array() );
		do_action( 'shutdown' );
		$this->assertSame( array(), Test_World::$http );
	}

	public function test_without_the_fields_api_nothing_is_registered_and_the_owner_is_warned_on_the_settings_page(): void {
		Test_World::$options['__checkout_fields'] = array();
		$old = $this->block_checkout( false );
		$old->register_fields();
		$this->assertSame( array(), Test_World::$options['__checkout_fields'] );

		$_GET['page'] = 'nightshift-bridge';
		ob_start();
		$old->missing_api_notice();
		$this->block_checkout( true )->missing_api_notice();
		$shown = ob_get_clean();
		$this->assertSame( 1, substr_count( $shown, 'notice-warning' ) );
		$this->assertStringContainsString( 'Additional Checkout Fields API (WooCommerce 8.9 or later)', $shown );

		$_GET['page'] = 'wc-settings';
		$this->expectOutputString( '' );
		$old->missing_api_notice();
	}
}
