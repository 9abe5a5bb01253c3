<?php
/**
 * Nightshift_Client: the connect endpoint and signed batches.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

final class ClientTest extends Nightshift_Test_Case {

	public function test_events_go_to_collect_signed_over_the_exact_body_and_non_blocking(): void {
		$client = new Nightshift_Client( $this->connected_settings() );
		$events = array( array( 'id' => 'evt_00000001', 'type' => 'add_to_cart', 'ts' => 1, 'productId' => 3, 'quantity' => 1 ) );

		$this->assertTrue( $client->send_events( 'v_visitor01', $events ) );

		$this->assertCount( 1, Test_World::$http );
		$request = Test_World::$http[0];
		$this->assertSame( 'https://ns.example.com/collect', $request['url'] );
		$this->assertFalse( $request['args']['blocking'] );
		$this->assertLessThanOrEqual( 1.0, $request['args']['timeout'] );
		$this->assertSame( 'application/json', $request['args']['headers']['Content-Type'] );
		$body = $request['args']['body'];
		$this->assertSame( array( 'store' => 'demo-shop', 'visitorId' => 'v_visitor01', 'events' => $events ), json_decode( $body, true ) );
		$this->assertMatchesRegularExpression( '/^t=(\d+),v1=([0-9a-f]{64})$/', $request['args']['headers']['X-Nightshift-Signature'] );
		preg_match( '/^t=(\d+),v1=([0-9a-f]{64})$/', $request['args']['headers']['X-Nightshift-Signature'], $m );
		$this->assertEqualsWithDelta( time(), (int) $m[1], 5 );
		$this->assertSame( hash_hmac( 'sha256', $m[1] . '.' . $body, self::SECRET ), $m[2] );
	}

	public function test_more_than_fifty_events_are_split_into_batches(): void {
		$client = new Nightshift_Client( $this->connected_settings() );
		$events = array();
		for ( $i = 0; $i < 120; $i++ ) {
			$events[] = array( 'id' => sprintf( 'evt_%08d', $i ), 'type' => 'page_view', 'ts' => 1, 'url' => 'https://shop.example.com/' );
		}
		$client->send_events( 'v_visitor01', $events );
		$this->assertSame( array( 50, 50, 20 ), array_map( 'count', array_column( $this->collect_batches(), 'events' ) ) );
	}

	public function test_a_failing_worker_is_reported_not_thrown(): void {
		$client                       = new Nightshift_Client( $this->connected_settings() );
		Test_World::$http_responses[] = new WP_Error( 'http_request_failed', 'cURL error 28: timed out' );
		Test_World::$http_responses[] = array( 'response' => array( 'code' => 503 ), 'body' => '' );
		$event                        = array( array( 'id' => 'evt_00000001', 'type' => 'page_view', 'ts' => 1, 'url' => 'x' ) );
		$this->assertFalse( $client->send_events( 'v_visitor01', $event ) );
		$this->assertFalse( $client->send_events( 'v_visitor01', $event, true ) );
	}

	public function test_nothing_is_sent_without_a_secret(): void {
		$settings = $this->connected_settings();
		$settings->set_webhook_secret( '' );
		$this->assertFalse( ( new Nightshift_Client( $settings ) )->send_events( 'v_visitor01', array( array( 'type' => 'x' ) ) ) );
		$this->assertSame( array(), Test_World::$http );
	}

	public function test_connect_posts_the_secret_with_the_connect_token(): void {
		$client                       = new Nightshift_Client( $this->connected_settings() );
		$answer                       = array( 'store' => 'demo-shop', 'siteKey' => 'pk_x', 'trackerUrl' => 't', 'collectUrl' => 'c', 'webhookUrl' => 'w' );
		Test_World::$http_responses[] = array( 'response' => array( 'code' => 200 ), 'body' => json_encode( $answer ) );

		$this->assertSame( $answer, $client->connect( 'the-secret-the-plugin-generated' ) );

		$request = Test_World::$http[0];
		$this->assertSame( 'https://ns.example.com/api/stores/demo-shop/connect', $request['url'] );
		$this->assertSame( 'Bearer nsc_token', $request['args']['headers']['Authorization'] );
		$this->assertSame(
			array(
				'webhookSecret' => 'the-secret-the-plugin-generated',
				'siteUrl'       => 'https://shop.example.com/',
				'pluginVersion' => NIGHTSHIFT_BRIDGE_VERSION,
				'timezone'      => 'Europe/Paris',
				'currency'      => 'EUR',
			),
			json_decode( $request['args']['body'], true )
		);
	}

	public function test_connect_turns_a_refusal_into_a_readable_error(): void {
		$client                       = new Nightshift_Client( $this->connected_settings() );
		Test_World::$http_responses[] = array(
			'response' => array( 'code' => 401 ),
			'body'     => '{"error":{"code":"unauthorized","message":"Missing or invalid connect token"}}',
		);
		$result = $client->connect( 'secret' );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( 'nightshift_http_401', $result->get_error_code() );
		$this->assertStringContainsString( 'Missing or invalid connect token', $result->get_error_message() );
	}

	public function test_disconnect_posts_to_the_disconnect_endpoint(): void {
		$client                       = new Nightshift_Client( $this->connected_settings() );
		Test_World::$http_responses[] = array( 'response' => array( 'code' => 200 ), 'body' => '{"store":"demo-shop","connected":false}' );
		$this->assertTrue( $client->disconnect() );
		$this->assertSame( 'https://ns.example.com/api/stores/demo-shop/disconnect', Test_World::$http[0]['url'] );
		$this->assertSame( 'Bearer nsc_token', Test_World::$http[0]['args']['headers']['Authorization'] );
	}
}
