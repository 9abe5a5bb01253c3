<?php
/**
 * PHPUnit bootstrap: the plugin's classes over minimal WordPress and WooCommerce doubles.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

define( 'ABSPATH', __DIR__ . '/' );
define( 'NIGHTSHIFT_BRIDGE_VERSION', '0.1.0-test' );
define( 'NIGHTSHIFT_BRIDGE_FILE', dirname( __DIR__ ) . '/nightshift-bridge.php' );

require __DIR__ . '/doubles/class-test-world.php';
require __DIR__ . '/doubles/wordpress.php';
require __DIR__ . '/doubles/woocommerce.php';
require __DIR__ . '/doubles/theme.php';
require __DIR__ . '/doubles/checkout-blocks.php';
require __DIR__ . '/class-nightshift-test-case.php';
require_once dirname( __DIR__ ) . '/includes/class-nightshift-plugin.php';

foreach ( array( 'settings', 'signer', 'client', 'visitor', 'event-queue', 'cart-events', 'consent', 'checkout', 'account', 'product-fields', 'cart-restore', 'tracker', 'webhooks', 'privacy', 'connection', 'secret-rotation', 'page-context', 'block-checkout', 'admin' ) as $nightshift_class ) {
	require_once dirname( __DIR__ ) . '/includes/class-nightshift-' . $nightshift_class . '.php';
}
