<?php
/**
 * Removes what the plugin created: its settings and the WooCommerce webhooks it registered.
 * Customer birthdays, order consent records and product lifespans are store data and stay.
 *
 * @package NightshiftBridge
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/includes/class-nightshift-settings.php';
require_once __DIR__ . '/includes/class-nightshift-webhooks.php';

$nightshift_settings = new Nightshift_Settings();
if ( function_exists( 'wc_get_webhook' ) ) {
	( new Nightshift_Webhooks() )->remove( $nightshift_settings->webhook_ids() );
}
foreach ( Nightshift_Settings::option_names() as $nightshift_option ) {
	delete_option( $nightshift_option );
}
