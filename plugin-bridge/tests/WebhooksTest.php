<?php
/**
 * Nightshift_Webhooks and Nightshift_Connection: registration is complete and idempotent.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

final class WebhooksTest extends Nightshift_Test_Case {

	const URL = 'https://ns.example.com/webhooks/woocommerce/demo-shop';

	public function test_sync_registers_one_active_v3_webhook_per_topic(): void {
		$ids = ( new Nightshift_Webhooks() )->sync( self::URL, self::SECRET, array(), 7 );

		$this->assertSame( Nightshift_Webhooks::TOPICS, array_keys( $ids ) );
		$this->assertCount( count( Nightshift_Webhooks::TOPICS ), Test_World::$webhooks );
		foreach ( $ids as $topic => $id ) {
			$webhook = Test_World::$webhooks[ $id ];
			$this->assertSame( $topic, $webhook->get_topic() );
			$this->assertSame( self::URL, $webhook->get_delivery_url() );
			$this->assertSame( self::SECRET, $webhook->get_secret() );
			$this->assertSame( 'wp_api_v3', $webhook->get_api_version() );
			$this->assertSame( 'active', $webhook->get_status() );
			$this->assertSame( 7, $webhook->get_user_id() );
		}
	}

	public function test_sync_again_reuses_the_same_webhooks_and_updates_them(): void {
		$webhooks = new Nightshift_Webhooks();
		$first    = $webhooks->sync( self::URL, self::SECRET, array(), 7 );
		Test_World::$webhooks[ $first['order.created'] ]->set_status( 'disabled' );

		$second = $webhooks->sync( 'https://new.example.com/webhooks/woocommerce/demo-shop', 'new-secret', $first, 7 );

		$this->assertSame( $first, $second );
		$this->assertCount( count( Nightshift_Webhooks::TOPICS ), Test_World::$webhooks );
		$this->assertSame( 'active', Test_World::$webhooks[ $first['order.created'] ]->get_status() );
		$this->assertSame( 'new-secret', Test_World::$webhooks[ $first['product.updated'] ]->get_secret() );
	}

	public function test_lost_ids_are_recovered_by_name_and_duplicates_removed(): void {
		$webhooks = new Nightshift_Webhooks();
		$webhooks->sync( self::URL, self::SECRET, array(), 7 );
		$webhooks->sync( self::URL, self::SECRET, array(), 7 );
		$this->assertCount( count( Nightshift_Webhooks::TOPICS ), Test_World::$webhooks, 'the second sync found the first set by name' );

		$foreign = new WC_Webhook();
		$foreign->set_name( 'Zapier order.created' );
		$foreign->set_topic( 'order.created' );
		$foreign->set_delivery_url( 'https://hooks.zapier.com/x' );
		$foreign->save();
		$ids = $webhooks->sync( self::URL, self::SECRET, array(), 7 );
		$this->assertCount( count( Nightshift_Webhooks::TOPICS ) + 1, Test_World::$webhooks, 'webhooks the plugin did not register are left alone' );

		$webhooks->remove( $ids );
		$this->assertSame( array( $foreign->get_id() ), array_keys( Test_World::$webhooks ) );
	}

	public function test_connect_tells_the_worker_first_then_registers_and_reconnect_is_idempotent(): void {
		$settings = $this->connected_settings();
		$settings->set_webhook_secret( '' );
		$settings->clear_connection();
		$connection = new Nightshift_Connection( $settings, new Nightshift_Client( $settings ), new Nightshift_Webhooks() );
		$ok         = array( 'response' => array( 'code' => 200 ), 'body' => '{"store":"demo-shop","siteKey":"pk_demo"}' );

		Test_World::$http_responses = array( $ok, $ok );
		$this->assertTrue( $connection->connect( 1 ) );
		$secret = $settings->webhook_secret();
		$this->assertSame( 50, strlen( $secret ) );
		$this->assertSame( $secret, json_decode( Test_World::$http[0]['args']['body'], true )['webhookSecret'] );
		$this->assertTrue( $settings->is_connected() );
		$this->assertSame( 'pk_demo', $settings->site_key() );
		$first_ids = $settings->webhook_ids();
		$this->assertCount( count( Nightshift_Webhooks::TOPICS ), $first_ids );
		$this->assertSame( self::URL, Test_World::$webhooks[ $first_ids['coupon.updated'] ]->get_delivery_url() );

		$this->assertTrue( $connection->connect( 1 ) );
		$this->assertSame( $secret, $settings->webhook_secret(), 'reconnecting keeps the secret' );
		$this->assertSame( $secret, json_decode( Test_World::$http[1]['args']['body'], true )['webhookSecret'] );
		$this->assertSame( $first_ids, $settings->webhook_ids() );
		$this->assertCount( count( Nightshift_Webhooks::TOPICS ), Test_World::$webhooks );
	}

	public function test_a_refused_connect_registers_nothing(): void {
		$settings = $this->connected_settings();
		$settings->clear_connection();
		$connection                   = new Nightshift_Connection( $settings, new Nightshift_Client( $settings ), new Nightshift_Webhooks() );
		Test_World::$http_responses[] = array( 'response' => array( 'code' => 401 ), 'body' => '' );

		$this->assertInstanceOf( WP_Error::class, $connection->connect( 1 ) );
		$this->assertSame( array(), Test_World::$webhooks );
		$this->assertFalse( $settings->is_connected() );
	}

	public function test_connect_needs_the_fields(): void {
		$settings   = new Nightshift_Settings();
		$connection = new Nightshift_Connection( $settings, new Nightshift_Client( $settings ), new Nightshift_Webhooks() );
		$this->assertSame( 'nightshift_incomplete', $connection->connect( 1 )->get_error_code() );
		$this->assertSame( array(), Test_World::$http );
	}

	public function test_disconnect_removes_webhooks_and_secret_even_when_the_worker_is_down(): void {
		$settings   = $this->connected_settings();
		$connection = new Nightshift_Connection( $settings, new Nightshift_Client( $settings ), new Nightshift_Webhooks() );
		$ok         = array( 'response' => array( 'code' => 200 ), 'body' => '{"siteKey":"pk_demo"}' );
		Test_World::$http_responses = array( $ok, new WP_Error( 'http_request_failed', 'down' ) );
		$connection->connect( 1 );

		$this->assertInstanceOf( WP_Error::class, $connection->disconnect() );
		$this->assertSame( 'https://ns.example.com/api/stores/demo-shop/disconnect', Test_World::$http[1]['url'] );
		$this->assertSame( array(), Test_World::$webhooks );
		$this->assertFalse( $settings->is_connected() );
		$this->assertSame( '', $settings->webhook_secret() );
	}

	public function test_sync_subscribes_to_every_lifecycle_topic(): void {
		$ids = ( new Nightshift_Webhooks() )->sync( self::URL, self::SECRET, array(), 7 );
		foreach ( array( 'customer.deleted', 'order.restored', 'product.restored', 'coupon.deleted', 'coupon.restored' ) as $topic ) {
			$this->assertArrayHasKey( $topic, $ids, $topic );
			$this->assertSame( $topic, Test_World::$webhooks[ $ids[ $topic ] ]->get_topic() );
			$this->assertSame( 'active', Test_World::$webhooks[ $ids[ $topic ] ]->get_status() );
		}
	}

	public function test_deactivation_pauses_the_webhooks_and_reactivation_resumes_them(): void {
		$settings = $this->connected_settings();
		$ids      = ( new Nightshift_Webhooks() )->sync( self::URL, self::SECRET, array(), 7 );
		$settings->set_connection( array( 'site_key' => 'pk_demo', 'connected_at' => 1764000000, 'webhook_ids' => $ids ) );
		Test_World::$webhooks[ $ids['order.updated'] ]->set_status( 'disabled' );
		$foreign = new WC_Webhook();
		$foreign->set_name( 'Zapier order.created' );
		$foreign->set_topic( 'order.created' );
		$foreign->set_status( 'active' );
		$foreign->save();

		Nightshift_Plugin::deactivate();
		foreach ( $ids as $topic => $id ) {
			$this->assertSame( 'order.updated' === $topic ? 'disabled' : 'paused', Test_World::$webhooks[ $id ]->get_status(), $topic );
		}
		$this->assertSame( 'active', Test_World::$webhooks[ $foreign->get_id() ]->get_status(), 'other webhooks keep delivering' );

		Nightshift_Plugin::activate();
		foreach ( $ids as $topic => $id ) {
			$this->assertSame( 'order.updated' === $topic ? 'disabled' : 'active', Test_World::$webhooks[ $id ]->get_status(), $topic );
		}
		$this->assertCount( count( Nightshift_Webhooks::TOPICS ) + 1, Test_World::$webhooks, 'nothing created or removed' );
	}

	public function test_reactivation_of_a_disconnected_store_resumes_nothing(): void {
		$settings = $this->connected_settings();
		$ids      = ( new Nightshift_Webhooks() )->sync( self::URL, self::SECRET, array(), 7 );
		$settings->set_connection( array( 'site_key' => 'pk_demo', 'connected_at' => 1764000000, 'webhook_ids' => $ids ) );
		Nightshift_Plugin::deactivate();
		$settings->clear_connection();
		Nightshift_Plugin::activate();
		$this->assertSame( 'paused', Test_World::$webhooks[ $ids['order.created'] ]->get_status() );
	}

	public function test_a_store_connected_before_gets_the_new_topics_without_reconnecting(): void {
		$settings = $this->connected_settings();
		$webhooks = new Nightshift_Webhooks();
		$old      = array();
		foreach ( array_slice( Nightshift_Webhooks::TOPICS, 0, 10 ) as $topic ) {
			$webhook = new WC_Webhook();
			$webhook->set_name( Nightshift_Webhooks::NAME_PREFIX . $topic );
			$webhook->set_topic( $topic );
			$webhook->set_delivery_url( self::URL );
			$webhook->set_status( 'active' );
			$old[ $topic ] = $webhook->save();
		}
		$settings->set_connection( array( 'site_key' => 'pk_demo', 'connected_at' => 1764000000, 'webhook_ids' => $old ) );
		$connection = new Nightshift_Connection( $settings, new Nightshift_Client( $settings ), $webhooks );

		$this->assertTrue( $connection->ensure_topics( 7 ) );
		$ids = $settings->webhook_ids();
		$this->assertSame( Nightshift_Webhooks::TOPICS, array_keys( $ids ) );
		$this->assertSame( $old, array_slice( $ids, 0, 10 ), 'the existing webhooks are reused' );
		$this->assertCount( count( Nightshift_Webhooks::TOPICS ), Test_World::$webhooks );
		$this->assertSame( 'customer.deleted', Test_World::$webhooks[ $ids['customer.deleted'] ]->get_topic() );
		$this->assertSame( 'pk_demo', $settings->site_key() );

		$this->assertFalse( $connection->ensure_topics( 7 ), 'nothing to do once every topic is there' );
		$this->assertSame( array(), Test_World::$http, 'the worker is not called' );
	}
}
