<?php
/**
 * The "lifespan in days" product field.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * How long one unit lasts, for replenishment reminders. Stored as `nightshift_lifespan_days`
 * without a leading underscore so WooCommerce includes it in the product webhook's meta_data.
 */
final class Nightshift_Product_Fields {

	const META     = 'nightshift_lifespan_days';
	const MAX_DAYS = 3650;

	/**
	 * Hooks into the product editor.
	 */
	public function register() {
		add_action( 'woocommerce_product_options_general_product_data', array( $this, 'render' ) );
		add_action( 'woocommerce_admin_process_product_object', array( $this, 'save' ) );
	}

	/**
	 * A whole number of days between 1 and 3650, or null for "not set".
	 *
	 * @param mixed $raw Input.
	 * @return int|null
	 */
	public static function sanitize_days( $raw ) {
		$raw = trim( (string) $raw );
		if ( ! preg_match( '/^\d{1,4}$/', $raw ) ) {
			return null;
		}
		$days = (int) $raw;
		return $days >= 1 && $days <= self::MAX_DAYS ? $days : null;
	}

	/**
	 * Prints the field in the General tab.
	 */
	public function render() {
		woocommerce_wp_text_input(
			array(
				'id'                => self::META,
				'label'             => __( 'Lifespan in days', 'nightshift-bridge' ),
				'description'       => __( 'How many days one unit lasts, e.g. 30 for a month of coffee. Nightshift reminds customers a few days before they run out. Leave empty for products that are not replenished.', 'nightshift-bridge' ),
				'desc_tip'          => true,
				'type'              => 'number',
				'custom_attributes' => array(
					'min'  => '1',
					'max'  => (string) self::MAX_DAYS,
					'step' => '1',
				),
			)
		);
	}

	/**
	 * Saves the field on the product object (HPOS-safe, no direct post meta).
	 *
	 * @param WC_Product $product Product being saved.
	 */
	public function save( $product ) {
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- WC_Meta_Box_Product_Data::save runs after WooCommerce's nonce check.
		$raw  = isset( $_POST[ self::META ] ) ? sanitize_text_field( wp_unslash( $_POST[ self::META ] ) ) : '';
		$days = self::sanitize_days( $raw );
		if ( null === $days ) {
			$product->delete_meta_data( self::META );
			return;
		}
		$product->update_meta_data( self::META, (string) $days );
	}
}
