<?php
/**
 * One-click connect (connect code, WooCommerce app authorization) and secret rotation.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

final class ConnectCodeAndRotationTest extends Nightshift_Test_Case {

	const NEW_SECRET = 'n3w-Secret_handed_over_by_the_worker_0123456789abcd';

	/** Encodes like worker/connect/connect-code.ts. */
	private static function code( string $url, string $store, string $token ): string {
		return 'nsc1.' . Nightshift_Signer::base64url_encode( json_encode( array( 'u' => $url, 's' => $store, 't' => $token ), JSON_UNESCAPED_SLASHES ) );
	}

	private function cart_token( string $secret, int $expires ): string {
		$body = Nightshift_Signer::base64url_encode( json_encode( array( 's' => 'demo-shop', 'v' => 'v_fromtheemail', 'i' => array( array( 10, 0, 1 ) ), 'e' => $expires ) ) );
		return $body . '.' . Nightshift_Signer::base64url_encode( hash_hmac( 'sha256', $body, $secret, true ) );
	}

	private function rotation( Nightshift_Settings $settings ): Nightshift_Secret_Rotation {
		return new Nightshift_Secret_Rotation( $settings, new Nightshift_Webhooks() );
	}

	private static function signed( string $secret, string $body, int $t ): string {
		return ( new Nightshift_Signer( $secret ) )->signature_header( $body, $t );
	}

	public function test_a_connect_code_fills_url_store_and_token(): void {
		$code = self::code( 'https://ns.example.com', 'boutique-nuit', 'nsc_XDKmP29lklIUUPNJNwu3-SCnSCXJiA7DgZBt6tPnYR8' );
		$settings = new Nightshift_Settings();
		$this->assertTrue( $settings->save_connect_code( "  $code\n" ) );
		$this->assertSame( 'https://ns.example.com', $settings->url() );
		$this->assertSame( 'boutique-nuit', $settings->store_id() );
		$this->assertSame( 'nsc_XDKmP29lklIUUPNJNwu3-SCnSCXJiA7DgZBt6tPnYR8', $settings->connect_token() );

		foreach ( array( 'nsc_XDKmP29lklIUUPNJNwu3-SCnSCXJiA7DgZBt6tPnYR8', 'nsc1.!!!', 'nsc1.' . Nightshift_Signer::base64url_encode( '{"u":"javascript:alert(1)","s":"x","t":"nsc_aaaaaaaaaaaaaaaaaaaaaaaa"}' ) ) as $bad ) {
			$this->assertNull( Nightshift_Settings::decode_connect_code( $bad ), $bad );
		}
	}

	public function test_connect_with_a_code_registers_webhooks_then_points_to_wc_auth_with_the_one_time_value(): void {
		$settings = new Nightshift_Settings();
		$settings->save_connect_code( self::code( 'https://ns.example.com', 'demo-shop', 'nsc_XDKmP29lklIUUPNJNwu3-SCnSCXJiA7DgZBt6tPnYR8' ) );
		$connection = new Nightshift_Connection( $settings, new Nightshift_Client( $settings ), new Nightshift_Webhooks() );
		$answer     = array(
			'store'   => 'demo-shop',
			'siteKey' => 'pk_demo',
			'wooKeys' => false,
			'wcAuth'  => array( 'userId' => 'wca_one-time_value', 'callbackUrl' => 'https://ns.example.com/wc-auth/callback/demo-shop', 'expiresAt' => 1 ),
		);
		Test_World::$http_responses = array( array( 'response' => array( 'code' => 200 ), 'body' => json_encode( $answer ) ) );

		$this->assertTrue( $connection->connect( 1 ) );
		$this->assertSame( 'https://ns.example.com/api/stores/demo-shop/connect', Test_World::$http[0]['url'] );
		$this->assertSame( 'Bearer nsc_XDKmP29lklIUUPNJNwu3-SCnSCXJiA7DgZBt6tPnYR8', Test_World::$http[0]['args']['headers']['Authorization'] );
		$this->assertCount( count( Nightshift_Webhooks::TOPICS ), $settings->webhook_ids() );
		$url = $connection->authorize_url();
		$this->assertStringStartsWith( 'https://shop.example.com/?wc-auth-version=1&wc-auth-route=authorize&', $url );
		parse_str( parse_url( $url, PHP_URL_QUERY ), $query );
		$this->assertSame( 'Nightshift', $query['app_name'] );
		$this->assertSame( 'read_write', $query['scope'] );
		$this->assertSame( 'wca_one-time_value', $query['user_id'] );
		$this->assertSame( 'https://ns.example.com/wc-auth/callback/demo-shop', $query['callback_url'] );
		$this->assertSame( 'https://shop.example.com/wp-admin/admin.php?page=nightshift-bridge&nightshift=authorized', $query['return_url'] );

		update_option( 'permalink_structure', '/%postname%/' );
		Test_World::$http_responses = array( array( 'response' => array( 'code' => 200 ), 'body' => json_encode( $answer ) ) );
		$connection->connect( 1 );
		$this->assertStringStartsWith( 'https://shop.example.com/wc-auth/v1/authorize?app_name=Nightshift&scope=read_write&user_id=wca_one-time_value&', $connection->authorize_url() );

		// Keys already held, or a worker on plain HTTP (WooCommerce refuses such a callback): no authorization step.
		foreach ( array( null, array( 'userId' => 'wca_x', 'callbackUrl' => 'http://ns.example.com/wc-auth/callback/demo-shop' ) ) as $offer ) {
			Test_World::$http_responses = array( array( 'response' => array( 'code' => 200 ), 'body' => json_encode( array( 'siteKey' => 'pk_demo', 'wcAuth' => $offer ) ) ) );
			$this->assertTrue( $connection->connect( 1 ) );
			$this->assertSame( '', $connection->authorize_url() );
		}
	}

	public function test_rotation_signed_with_the_current_secret_switches_secret_and_webhooks(): void {
		$settings = $this->connected_settings();
		$ids      = ( new Nightshift_Webhooks() )->sync( 'https://ns.example.com/webhooks/woocommerce/demo-shop', self::SECRET, array(), 7 );
		$settings->set_connection( array( 'site_key' => 'pk_demo', 'connected_at' => 1764000000, 'webhook_ids' => $ids ) );
		$now  = time();
		$body = json_encode( array( 'store' => 'demo-shop', 'secret' => self::NEW_SECRET ) );

		$answer = $this->rotation( $settings )->receive( $body, self::signed( self::SECRET, $body, $now ), $now );

		$this->assertSame( array( 'status' => 200, 'body' => array( 'ok' => true, 'webhooks' => count( Nightshift_Webhooks::TOPICS ) ) ), $answer );
		$this->assertSame( self::NEW_SECRET, $settings->webhook_secret() );
		foreach ( $ids as $id ) {
			$this->assertSame( self::NEW_SECRET, Test_World::$webhooks[ $id ]->get_secret() );
			$this->assertSame( 7, Test_World::$webhooks[ $id ]->get_user_id(), 'the owner that builds the payloads is kept' );
		}
		$this->assertSame( array( self::NEW_SECRET, self::SECRET ), $settings->verifying_secrets( $now ) );
		$this->assertSame( array( self::NEW_SECRET ), $settings->verifying_secrets( $now + 32 * DAY_IN_SECONDS ) );

		// The worker missed the answer and sends the same secret again, still signed with the old one: nothing changes.
		$again = $this->rotation( $settings )->receive( $body, self::signed( self::SECRET, $body, $now + 5 ), $now + 5 );
		$this->assertSame( 200, $again['status'] );
		$this->assertSame( array( self::NEW_SECRET, self::SECRET ), $settings->verifying_secrets( $now ) );
	}

	public function test_rotation_refuses_bad_signatures_other_stores_and_old_secrets_installing_their_own(): void {
		$settings = $this->connected_settings();
		$now      = time();
		$body     = json_encode( array( 'store' => 'demo-shop', 'secret' => self::NEW_SECRET ) );
		$rotation = $this->rotation( $settings );

		$this->assertSame( 401, $rotation->receive( $body, self::signed( 'not-the-secret-at-all-0123456789', $body, $now ), $now )['status'] );
		$this->assertSame( 401, $rotation->receive( $body, self::signed( self::SECRET, $body, $now - 3600 ), $now )['status'] );
		$this->assertSame( 401, $rotation->receive( $body, '', $now )['status'] );
		$other = json_encode( array( 'store' => 'other-shop', 'secret' => self::NEW_SECRET ) );
		$this->assertSame( 400, $rotation->receive( $other, self::signed( self::SECRET, $other, $now ), $now )['status'] );
		$this->assertSame( self::SECRET, $settings->webhook_secret() );

		$this->assertSame( 200, $rotation->receive( $body, self::signed( self::SECRET, $body, $now ), $now )['status'] );
		// Someone holding the replaced secret cannot rotate to a secret of their own.
		$evil = json_encode( array( 'store' => 'demo-shop', 'secret' => 'attacker-chosen-secret-0123456789' ) );
		$this->assertSame( 401, $rotation->receive( $evil, self::signed( self::SECRET, $evil, $now ), $now )['status'] );
		$this->assertSame( self::NEW_SECRET, $settings->webhook_secret() );
	}

	public function test_cart_links_signed_before_a_rotation_keep_working_until_they_expire(): void {
		$settings = $this->connected_settings();
		Test_World::$products[10] = new WC_Product( 10, 'Beans', '9' );
		$restore  = new Nightshift_Cart_Restore( $settings, new Nightshift_Visitor() );
		$old_link = $this->cart_token( self::SECRET, time() + 29 * DAY_IN_SECONDS );
		$settings->rotate_secret( self::NEW_SECRET, time() + 31 * DAY_IN_SECONDS, time() );

		$this->assertSame( 'https://shop.example.com/checkout/', $restore->restore( $old_link ) );
		$this->assertSame( 'https://shop.example.com/checkout/', $restore->restore( $this->cart_token( self::NEW_SECRET, time() + 3600 ) ) );

		// Once the kept secret's time is over, its links no longer restore.
		$settings->rotate_secret( self::NEW_SECRET, 0, time() );
		update_option( Nightshift_Settings::PREVIOUS_SECRETS, array( array( 'secret' => self::SECRET, 'until' => time() - 1 ) ) );
		$this->assertSame( 'https://shop.example.com/cart/', $restore->restore( $old_link ) );
	}
}
