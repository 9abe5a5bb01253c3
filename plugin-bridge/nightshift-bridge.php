<?php
/**
 * Plugin Name:          Nightshift Bridge
 * Plugin URI:           https://github.com/nightshift/nightshift
 * Description:          Connects your WooCommerce store to Nightshift marketing automation: webhooks, the on-site tracker, signed cart events, consent and birthday fields, and cart restore links.
 * Version:              0.1.0
 * Requires at least:    6.3
 * Requires PHP:         7.4
 * Requires Plugins:     woocommerce
 * Author:               Nightshift
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          nightshift-bridge
 * Domain Path:          /languages
 * WC requires at least: 8.0
 * WC tested up to:      10.0
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

define( 'NIGHTSHIFT_BRIDGE_VERSION', '0.1.0' );
define( 'NIGHTSHIFT_BRIDGE_FILE', __FILE__ );
define( 'NIGHTSHIFT_BRIDGE_DIR', plugin_dir_path( __FILE__ ) );

require_once NIGHTSHIFT_BRIDGE_DIR . 'includes/class-nightshift-plugin.php';

add_action(
	'before_woocommerce_init',
	static function () {
		if ( class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', __FILE__, true );
			// The block checkout gets the consent boxes and the email capture too (class-nightshift-block-checkout.php).
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'cart_checkout_blocks', __FILE__, true );
		}
	}
);

add_action(
	'init',
	static function () {
		load_plugin_textdomain( 'nightshift-bridge', false, dirname( plugin_basename( __FILE__ ) ) . '/languages' );
	}
);

add_action( 'plugins_loaded', array( 'Nightshift_Plugin', 'bootstrap' ) );
register_activation_hook( __FILE__, array( 'Nightshift_Plugin', 'activate' ) );
register_deactivation_hook( __FILE__, array( 'Nightshift_Plugin', 'deactivate' ) );
