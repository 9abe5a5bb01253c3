<?php
/**
 * The tracker is enqueued async with a signed identity, never a raw email.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

final class TrackerTest extends Nightshift_Test_Case {

	public function test_logged_out_visitors_get_the_script_and_the_site_key_only(): void {
		( new Nightshift_Tracker( $this->connected_settings() ) )->enqueue();

		$script = Test_World::$scripts['nightshift-tracker'];
		$this->assertSame( 'https://ns.example.com/tracker.js?store=demo-shop', $script['src'] );
		$this->assertNull( $script['ver'], 'no ?ver= appended' );
		$this->assertSame( 'async', $script['args']['strategy'] );
		$this->assertSame( array( 'before:window.nightshiftConfig = {"siteKey":"pk_demo"};' ), Test_World::$inline_scripts['nightshift-tracker'] );
	}

	public function test_a_logged_in_customer_is_identified_by_a_signed_token_not_an_email(): void {
		Test_World::$current_user = 7;
		Test_World::$users[7]     = (object) array( 'user_email' => 'secret.shopper@example.com' );
		( new Nightshift_Tracker( $this->connected_settings() ) )->enqueue();

		$inline = implode( '', Test_World::$inline_scripts['nightshift-tracker'] );
		$this->assertStringNotContainsString( 'secret.shopper', $inline );
		$this->assertSame( 1, preg_match( '/"identityToken":"7\.(\d+)\.([0-9a-f]{64})"/', $inline, $m ) );
		$this->assertEqualsWithDelta( time() + DAY_IN_SECONDS, (int) $m[1], 5 );
		$this->assertSame( hash_hmac( 'sha256', 'nsid.7.' . $m[1], self::SECRET ), $m[2] );
	}

	public function test_a_filtered_value_cannot_close_the_inline_script(): void {
		add_filter( 'nightshift_bridge_tracker_config', static function ( $config ) {
			return $config + array( 'note' => '</script><script>alert(1)</script>' );
		} );
		( new Nightshift_Tracker( $this->connected_settings() ) )->enqueue();
		$this->assertStringNotContainsString( '</script>', implode( '', Test_World::$inline_scripts['nightshift-tracker'] ) );
	}

	public function test_nothing_is_enqueued_before_the_store_is_connected(): void {
		( new Nightshift_Tracker( new Nightshift_Settings() ) )->enqueue();
		$this->assertSame( array(), Test_World::$scripts );
	}
}
