<?php
/**
 * Checkout consent, early email capture and the consent recorded on the order.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

final class CheckoutTest extends Nightshift_Test_Case {

	private Nightshift_Checkout $checkout;
	private Nightshift_Event_Queue $queue;

	protected function setUp(): void {
		parent::setUp();
		$this->queue    = new Nightshift_Event_Queue( new Nightshift_Client( $this->connected_settings() ), new Nightshift_Visitor() );
		$this->checkout = new Nightshift_Checkout( $this->queue, new Nightshift_Consent() );
		$_COOKIE['ns_vid'] = 'v_checkoutvisitor';
	}

	public function test_consent_boxes_are_rendered_unticked(): void {
		$this->checkout->render_fields();
		$fields = Test_World::$options['__fields'];
		$this->assertSame( 'checkbox', $fields['nightshift_email_consent']['args']['type'] );
		$this->assertFalse( $fields['nightshift_email_consent']['value'] );
		$this->assertFalse( $fields['nightshift_sms_consent']['value'] );
		$this->expectOutputString( '<div class="nightshift-consent"></div>' );
	}

	public function test_the_text_version_pins_the_exact_wording_and_is_remembered(): void {
		$consent = new Nightshift_Consent();
		$version = $consent->text_version();
		$this->assertMatchesRegularExpression( '/^nsb1-[0-9a-f]{16}$/', $version );
		$this->assertSame( $version, $consent->text_version(), 'stable for the same text' );

		$flags = $consent->flags( true, false );
		$this->assertSame( array( 'emailMarketing' => true, 'textVersion' => $version ), $flags, 'an unticked box is no act: not sent' );
		$stored = get_option( Nightshift_Settings::CONSENT_TEXTS );
		$this->assertSame( $consent->email_label(), $stored[ $version ]['email'] );

		add_filter( 'nightshift_bridge_email_consent_label', static function () {
			return 'A different promise.';
		} );
		$this->assertNotSame( $version, $consent->text_version() );
		Test_World::$options['__locale'] = 'en_US';
		$this->assertNotSame( $version, ( new Nightshift_Consent() )->text_version(), 'a translation is another text' );
	}

	public function test_ajax_capture_sends_email_consent_and_cart_at_once_signed(): void {
		Test_World::$products[42] = new WC_Product( 42, 'Tea', '4.5' );
		Test_World::$cart->add_to_cart( 42, 2 );
		$_POST = array(
			'security'      => 'nonce:nightshift_capture',
			'email'         => ' jeanne@example.com ',
			'phone'         => '+33 6 12 34 56 78',
			'email_consent' => '1',
			'sms_consent'   => '',
		);
		Test_World::$http_responses[] = array( 'response' => array( 'code' => 204 ), 'body' => '' );

		$response = $this->capture();

		$this->assertTrue( $response->success );
		$this->assertSame( array( 'sent' => true ), $response->data );
		$this->assertCount( 1, Test_World::$http );
		$this->assertTrue( Test_World::$http[0]['args']['blocking'], 'AJAX waits briefly so the capture is not lost' );
		$this->assertArrayHasKey( 'X-Nightshift-Signature', Test_World::$http[0]['args']['headers'] );
		$batch = $this->collect_batches()[0];
		$this->assertSame( 'v_checkoutvisitor', $batch['visitorId'] );
		$this->assertSame( array( 'identify', 'checkout_started' ), array_column( $batch['events'], 'type' ) );
		$identify = $batch['events'][0];
		$this->assertSame( 'jeanne@example.com', $identify['email'] );
		$this->assertSame( '+33 6 12 34 56 78', $identify['phone'] );
		$this->assertSame( 'checkout', $identify['source'] );
		$this->assertTrue( $identify['consent']['emailMarketing'] );
		$this->assertArrayNotHasKey( 'smsMarketing', $identify['consent'], 'the unticked SMS box is not a refusal' );
		$this->assertSame( ( new Nightshift_Consent() )->text_version(), $identify['consent']['textVersion'] );
		$this->assertSame( 9, $batch['events'][1]['cart']['value'] );
	}

	public function test_ajax_capture_refuses_a_bad_nonce_or_email_without_calling_nightshift(): void {
		$_POST = array( 'security' => 'forged', 'email' => 'jeanne@example.com' );
		$this->assertSame( 403, $this->capture()->status );
		$_POST = array( 'security' => 'nonce:nightshift_capture', 'email' => 'jeanne@' );
		$this->assertSame( 400, $this->capture()->status );
		$this->assertSame( array(), Test_World::$http );
	}

	public function test_ajax_capture_answers_success_even_when_nightshift_is_down(): void {
		$_POST                        = array( 'security' => 'nonce:nightshift_capture', 'email' => 'jeanne@example.com' );
		Test_World::$http_responses[] = new WP_Error( 'http_request_failed', 'timeout' );
		$response                     = $this->capture();
		$this->assertTrue( $response->success );
		$this->assertSame( array( 'sent' => false ), $response->data );
	}

	public function test_the_order_records_the_choices_and_queues_a_signed_identify(): void {
		$_POST = array( 'nightshift_sms_consent' => '1' );
		$order = new WC_Order( array( 'email' => 'paul@example.com', 'phone' => '0612345678', 'first_name' => 'Paul', 'last_name' => '' ) );

		$this->checkout->on_order_processed( 12, array(), $order );

		$version = ( new Nightshift_Consent() )->text_version();
		$this->assertSame(
			array( 'nightshift_consent_email' => 'no', 'nightshift_consent_sms' => 'yes', 'nightshift_consent_text_version' => $version ),
			$order->meta
		);
		$this->assertSame( 1, $order->saved );
		$event = $this->queue->pending()[0];
		$this->assertSame( 'identify', $event['type'] );
		$this->assertSame( 'paul@example.com', $event['email'] );
		$this->assertSame( 'Paul', $event['firstName'] );
		$this->assertArrayNotHasKey( 'lastName', $event, 'empty names are left out' );
		$this->assertSame( array( 'smsMarketing' => true, 'textVersion' => $version ), $event['consent'] );
	}

	public function test_unticked_boxes_send_no_consent_at_all_so_an_earlier_grant_stands(): void {
		$consent = new Nightshift_Consent();
		$this->assertSame( array(), $consent->flags( false, false ) );
		$props = $this->checkout->identify_props( 'camille.martin@example.fr', '+33611223344', false, false );
		$this->assertArrayNotHasKey( 'consent', $props );

		$_POST = array();
		$order = new WC_Order( array( 'email' => 'camille.martin@example.fr', 'phone' => '', 'first_name' => 'Camille', 'last_name' => 'Martin' ) );
		$this->checkout->on_order_processed( 13, array(), $order );
		$this->assertArrayNotHasKey( 'consent', $this->queue->pending()[0] );
	}

	public function test_only_an_explicit_opt_out_is_a_withdrawal(): void {
		$consent = new Nightshift_Consent();
		$this->assertSame( array( 'emailMarketing' => 'withdrawn' ), $consent->withdrawals( true, false ) );
		$this->assertSame( array(), $consent->withdrawals( false, false ) );
	}

	private function capture(): Test_Json_Response {
		try {
			$this->checkout->ajax_capture();
		} catch ( Test_Json_Response $response ) {
			return $response;
		}
		$this->fail( 'ajax_capture must answer with JSON' );
	}
}
