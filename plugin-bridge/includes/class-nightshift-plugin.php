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
		'block-checkout',
		'account',
		'product-fields',
		'cart-restore',
		'tracker',
		'page-context',
		'webhooks',
		'privacy',
		'connection',
		'admin',
		'account-consent',
		'secret-rotation',
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
			$connection = new Nightshift_Connection( $settings, $client, $webhooks );
			( new Nightshift_Admin( $settings, $connection, $webhooks ) )->register();
			add_action( 'admin_init', array( $connection, 'upgrade_webhooks' ) );
			self::block_checkout( $queue )->register_admin();
		}
		if ( ! $settings->is_connected() ) {
			return;
		}
		$queue->register();
		( new Nightshift_Cart_Events( $queue ) )->register();
		( new Nightshift_Checkout( $queue, new Nightshift_Consent() ) )->register();
		( new Nightshift_Account( $queue ) )->register();
		( new Nightshift_Account_Consent( $queue, new Nightshift_Consent() ) )->register();
		( new Nightshift_Cart_Restore( $settings, $visitor ) )->register();
		( new Nightshift_Tracker( $settings ) )->register();
		( new Nightshift_Page_Context() )->register();
		self::block_checkout( $queue )->register();
		( new Nightshift_Privacy( $client ) )->register();
		( new Nightshift_Secret_Rotation( $settings, $webhooks ) )->register();
		( new Nightshift_Order_Events( $queue ) )->register();
		( new Nightshift_Queue_Tick( $settings ) )->register();
	}

	/**
	 * The block checkout's fields and Store API hooks, recording choices the way the classic checkout does.
	 *
	 * @param Nightshift_Event_Queue $queue Queue.
	 * @return Nightshift_Block_Checkout
	 */
	private static function block_checkout( Nightshift_Event_Queue $queue ) {
		return new Nightshift_Block_Checkout( new Nightshift_Checkout( $queue, new Nightshift_Consent() ), $queue, new Nightshift_Consent() );
	}

	/**
	 * Deactivation pauses the plugin's webhooks: WooCommerce would otherwise go on delivering to Nightshift.
	 * Hooked with register_deactivation_hook; uninstalling removes them (uninstall.php).
	 */
	public static function deactivate() {
		$webhooks = self::lifecycle_webhooks();
		if ( $webhooks ) {
			$webhooks->pause( ( new Nightshift_Settings() )->webhook_ids() );
		}
	}

	/**
	 * Reactivation resumes the webhooks deactivation paused. Hooked with register_activation_hook.
	 */
	public static function activate() {
		$webhooks = self::lifecycle_webhooks();
		$settings = $webhooks ? new Nightshift_Settings() : null;
		if ( $webhooks && $settings->is_connected() ) {
			$webhooks->resume( $settings->webhook_ids() );
		}
	}

	/**
	 * The webhooks helper, outside plugins_loaded (activation runs before bootstrap loads the classes); null
	 * without WooCommerce.
	 *
	 * @return Nightshift_Webhooks|null
	 */
	private static function lifecycle_webhooks() {
		if ( ! function_exists( 'wc_get_webhook' ) ) {
			return null;
		}
		require_once __DIR__ . '/class-nightshift-settings.php';
		require_once __DIR__ . '/class-nightshift-webhooks.php';
		return new Nightshift_Webhooks();
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
