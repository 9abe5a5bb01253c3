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

	/** The identity token of the page the tracker gets, or null when there is none. */
	private function printed_token(): ?string {
		Test_World::$inline_scripts = array();
		( new Nightshift_Tracker( $this->connected_settings() ) )->enqueue();
		$inline = implode( '', Test_World::$inline_scripts['nightshift-tracker'] );
		return preg_match( '/"identityToken":"([^"]+)"/', $inline, $m ) ? $m[1] : null;
	}

	public function test_a_logged_in_customer_is_identified_when_the_identity_changes_not_on_every_page_view(): void {
		Test_World::$current_user        = 7;
		Test_World::$users[7]            = (object) array( 'user_email' => 'camille@example.fr' );
		$_COOKIE[ Nightshift_Visitor::COOKIE ] = 'v_browser_one_0001';

		$this->assertNotNull( $this->printed_token(), 'first page: identify' );
		$this->assertNull( $this->printed_token(), 'next page, same person, same browser: nothing' );
		$this->assertNull( $this->printed_token() );

		Test_World::$users[7] = (object) array( 'user_email' => 'camille.nouvelle@example.fr' );
		$this->assertNotNull( $this->printed_token(), 'the email changed in My Account' );
		$this->assertNull( $this->printed_token() );

		$_COOKIE[ Nightshift_Visitor::COOKIE ] = 'v_browser_two_0002';
		$this->assertNotNull( $this->printed_token(), 'another browser' );
		$_COOKIE[ Nightshift_Visitor::COOKIE ] = 'v_browser_one_0001';
		$this->assertNull( $this->printed_token(), 'back in a browser already identified' );

		Test_World::$current_user = 8;
		Test_World::$users[8]     = (object) array( 'user_email' => 'other@example.fr' );
		$this->assertNotNull( $this->printed_token(), 'another customer in the same browser' );
	}
}
