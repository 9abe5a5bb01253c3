<?php
/**
 * Nightshift_Privacy: WordPress's Export / Erase Personal Data tools reach Nightshift, signed.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

final class PrivacyTest extends Nightshift_Test_Case {

	private function privacy(): Nightshift_Privacy {
		return new Nightshift_Privacy( new Nightshift_Client( $this->connected_settings() ) );
	}

	private static function answer( int $status, array $body ): array {
		return array( 'response' => array( 'code' => $status ), 'body' => json_encode( $body ) );
	}

	/** The request went to the route, signed with the webhook secret over the exact body. */
	private function assertSignedCall( string $action, string $email ): void {
		$request = Test_World::$http[ count( Test_World::$http ) - 1 ];
		$this->assertSame( 'https://ns.example.com/api/stores/demo-shop/privacy/' . $action, $request['url'] );
		$body = $request['args']['body'];
		$this->assertSame( array( 'email' => $email ), json_decode( $body, true ) );
		$this->assertSame( 1, preg_match( '/^t=(\d+),v1=([0-9a-f]{64})$/', $request['args']['headers']['X-Nightshift-Signature'], $m ) );
		$this->assertSame( hash_hmac( 'sha256', $m[1] . '.' . $body, self::SECRET ), $m[2] );
	}

	public function test_registers_an_exporter_and_an_eraser_with_wordpress_once_connected(): void {
		$this->connected_settings();
		Nightshift_Plugin::bootstrap();
		$exporters = apply_filters( 'wp_privacy_personal_data_exporters', array() );
		$erasers   = apply_filters( 'wp_privacy_personal_data_erasers', array() );
		$this->assertSame( 'Nightshift marketing data', $exporters['nightshift-bridge']['exporter_friendly_name'] );
		$this->assertTrue( is_callable( $exporters['nightshift-bridge']['callback'] ) );
		$this->assertSame( 'Nightshift marketing data', $erasers['nightshift-bridge']['eraser_friendly_name'] );
		$this->assertTrue( is_callable( $erasers['nightshift-bridge']['callback'] ) );
	}

	public function test_export_returns_wordpress_data_items_from_the_worker(): void {
		Test_World::$http_responses[] = self::answer(
			200,
			array(
				'found'  => true,
				'export' => array(
					'contact' => array( 'id' => 'c_1', 'email' => 'ines@example.fr', 'firstName' => 'Inès', 'phone' => null ),
					'data'    => array(
						'consents' => array( array( 'channel' => 'email', 'granted' => true, 'occurredAt' => 1764000000000 ) ),
						'orders'   => array(),
						'events'   => array( array( 'type' => 'identify', 'properties' => array( 'source' => 'checkout' ) ) ),
					),
				),
			)
		);
		$result = $this->privacy()->export( 'ines@example.fr', 1 );
		$this->assertSignedCall( 'export', 'ines@example.fr' );

		$this->assertTrue( $result['done'] );
		$this->assertSame( array( 'nightshift-contact', 'nightshift-consents-1', 'nightshift-events-1' ), array_column( $result['data'], 'item_id' ) );
		$contact = $result['data'][0];
		$this->assertSame( 'nightshift-contact', $contact['group_id'] );
		$this->assertSame( 'Nightshift: marketing contact', $contact['group_label'] );
		$this->assertSame(
			array( array( 'name' => 'id', 'value' => 'c_1' ), array( 'name' => 'email', 'value' => 'ines@example.fr' ), array( 'name' => 'firstName', 'value' => 'Inès' ) ),
			$contact['data']
		);
		$this->assertSame( 'Nightshift: consent history', $result['data'][1]['group_label'] );
		$this->assertContains( array( 'name' => 'granted', 'value' => '1' ), $result['data'][1]['data'] );
		$this->assertContains( array( 'name' => 'properties', 'value' => '{"source":"checkout"}' ), $result['data'][2]['data'] );
	}

	public function test_export_of_an_unknown_address_is_empty_and_a_refusal_is_an_error(): void {
		Test_World::$http_responses[] = self::answer( 200, array( 'found' => false, 'export' => null ) );
		$this->assertSame( array( 'data' => array(), 'done' => true ), $this->privacy()->export( 'nobody@example.fr', 1 ) );

		Test_World::$http_responses[] = self::answer( 401, array( 'error' => array( 'code' => 'unauthorized' ) ) );
		$this->assertInstanceOf( WP_Error::class, $this->privacy()->export( 'nobody@example.fr', 1 ) );
	}

	public function test_eraser_reports_what_wordpress_expects(): void {
		Test_World::$http_responses[] = self::answer( 200, array( 'erased' => true, 'removed' => array( 'contacts' => 1, 'consents' => 2, 'events' => 4 ) ) );
		$erased = $this->privacy()->erase( 'ines@example.fr', 1 );
		$this->assertSignedCall( 'erase', 'ines@example.fr' );
		$this->assertSame( array( 'items_removed', 'items_retained', 'messages', 'done' ), array_keys( $erased ) );
		$this->assertTrue( $erased['items_removed'] );
		$this->assertFalse( $erased['items_retained'] );
		$this->assertTrue( $erased['done'] );
		$this->assertStringContainsString( '7 records', $erased['messages'][0] );

		Test_World::$http_responses[] = self::answer( 200, array( 'erased' => false, 'removed' => array() ) );
		$none = $this->privacy()->erase( 'nobody@example.fr', 1 );
		$this->assertSame( array( false, false, true ), array( $none['items_removed'], $none['items_retained'], $none['done'] ) );
		$this->assertSame( array( 'Nightshift holds no marketing contact for this email address.' ), $none['messages'] );
	}

	public function test_eraser_says_data_was_retained_when_nightshift_cannot_be_reached(): void {
		Test_World::$http_responses[] = new WP_Error( 'http_request_failed', 'Connection timed out.' );
		$result = $this->privacy()->erase( 'ines@example.fr', 1 );
		$this->assertFalse( $result['items_removed'] );
		$this->assertTrue( $result['items_retained'] );
		$this->assertTrue( $result['done'] );
		$this->assertStringContainsString( 'Connection timed out.', $result['messages'][0] );
	}
}
