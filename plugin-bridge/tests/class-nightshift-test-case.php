<?php
/**
 * Base test case: a fresh world and a connected store.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

use PHPUnit\Framework\TestCase;

abstract class Nightshift_Test_Case extends TestCase {

	const SECRET = 'tEst-secret!with#punctuation(and)50-characters-ok.';

	protected function setUp(): void {
		Test_World::reset();
	}

	/** A store that has connected: URL, id, token, secret and site key are set. */
	protected function connected_settings(): Nightshift_Settings {
		$settings = new Nightshift_Settings();
		$settings->save_endpoint( 'https://ns.example.com/', 'demo-shop', 'nsc_token' );
		$settings->set_webhook_secret( self::SECRET );
		$settings->set_connection( array( 'site_key' => 'pk_demo', 'connected_at' => 1764000000, 'webhook_ids' => array() ) );
		return $settings;
	}

	/** Requests that went to POST /collect, decoded. */
	protected function collect_batches(): array {
		$batches = array();
		foreach ( Test_World::$http as $request ) {
			if ( '/collect' === substr( $request['url'], -8 ) ) {
				$batches[] = json_decode( $request['args']['body'], true );
			}
		}
		return $batches;
	}
}
