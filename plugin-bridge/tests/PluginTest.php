<?php
/**
 * Bootstrap wiring: which hooks exist before and after connecting.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

final class PluginTest extends Nightshift_Test_Case {

	const STOREFRONT_HOOKS = array(
		'wp_enqueue_scripts',
		'woocommerce_add_to_cart',
		'woocommerce_cart_item_removed',
		'woocommerce_after_cart_item_quantity_update',
		'woocommerce_after_checkout_billing_form',
		'wc_ajax_nightshift_capture',
		'woocommerce_checkout_order_processed',
		'woocommerce_edit_account_form',
		'woocommerce_save_account_details',
		'wp_loaded',
		'shutdown',
		'nightshift_bridge_tracker_config',
		'woocommerce_init',
		'woocommerce_store_api_cart_update_customer_from_request',
		'woocommerce_store_api_checkout_update_order_from_request',
	);

	public function test_an_unconnected_store_only_gets_the_product_field(): void {
		Nightshift_Plugin::bootstrap();
		$this->assertArrayHasKey( 'woocommerce_product_options_general_product_data', Test_World::$actions );
		$this->assertArrayHasKey( 'woocommerce_admin_process_product_object', Test_World::$actions );
		foreach ( self::STOREFRONT_HOOKS as $hook ) {
			$this->assertArrayNotHasKey( $hook, Test_World::$actions, $hook );
		}
	}

	public function test_a_connected_store_gets_every_storefront_hook(): void {
		$this->connected_settings();
		Nightshift_Plugin::bootstrap();
		foreach ( self::STOREFRONT_HOOKS as $hook ) {
			$this->assertArrayHasKey( $hook, Test_World::$actions, $hook );
		}
	}

	public function test_every_php_file_parses(): void {
		$root  = dirname( __DIR__ );
		$files = array_merge( array( $root . '/nightshift-bridge.php', $root . '/uninstall.php' ), glob( $root . '/includes/*.php' ) );
		foreach ( $files as $file ) {
			exec( escapeshellarg( PHP_BINARY ) . ' -l ' . escapeshellarg( $file ) . ' 2>&1', $output, $status );
			$this->assertSame( 0, $status, implode( "\n", $output ) );
		}
	}
}
