<?php
/**
 * Wires the plugin's parts to WordPress.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Loads the classes and registers their hooks once WooCommerce is known to be active.
 */
final class Nightshift_Plugin {

	const CLASSES = array(
		'settings',
		'signer',
		'client',
		'visitor',
		'event-queue',
		'cart-events',
		'consent',
		'checkout',
		'account',
		'product-fields',
		'cart-restore',
		'tracker',
		'webhooks',
		'connection',
		'admin',
		'order-events',
		'queue-tick',
	);

	/**
	 * Hooked on plugins_loaded.
	 */
	public static function bootstrap() {
		if ( ! class_exists( 'WooCommerce' ) ) {
			add_action( 'admin_notices', array( __CLASS__, 'missing_woocommerce_notice' ) );
			return;
		}
		foreach ( self::CLASSES as $name ) {
			require_once __DIR__ . '/class-nightshift-' . $name . '.php';
		}
		self::register();
	}

	/**
	 * Builds the objects and registers their hooks.
	 */
	private static function register() {
		$settings = new Nightshift_Settings();
		$client   = new Nightshift_Client( $settings );
		$visitor  = new Nightshift_Visitor();
		$webhooks = new Nightshift_Webhooks();
		$queue    = new Nightshift_Event_Queue( $client, $visitor );

		( new Nightshift_Product_Fields() )->register();
		if ( is_admin() ) {
			( new Nightshift_Admin( $settings, new Nightshift_Connection( $settings, $client, $webhooks ), $webhooks ) )->register();
		}
		if ( ! $settings->is_connected() ) {
			return;
		}
		$queue->register();
		( new Nightshift_Cart_Events( $queue ) )->register();
		( new Nightshift_Checkout( $queue, new Nightshift_Consent() ) )->register();
		( new Nightshift_Account( $queue ) )->register();
		( new Nightshift_Cart_Restore( $settings, $visitor ) )->register();
		( new Nightshift_Tracker( $settings ) )->register();
		( new Nightshift_Order_Events( $queue ) )->register();
		( new Nightshift_Queue_Tick( $settings ) )->register();
	}

	/**
	 * Shown in the admin when WooCommerce is not active.
	 */
	public static function missing_woocommerce_notice() {
		if ( ! current_user_can( 'activate_plugins' ) ) {
			return;
		}
		echo '<div class="notice notice-error"><p>' . esc_html__( 'Nightshift Bridge needs WooCommerce. Install and activate WooCommerce to connect your store.', 'nightshift-bridge' ) . '</p></div>';
	}
}
