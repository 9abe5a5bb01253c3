<?php
/**
 * Cart restore links from Nightshift emails.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Handles `?nightshift_cart=<token>`: verifies the worker's signed snapshot (HMAC, expiry, store),
 * rebuilds the cart and sends the shopper to checkout.
 */
final class Nightshift_Cart_Restore {

	const PARAM = 'nightshift_cart';

	/**
	 * Settings.
	 *
	 * @var Nightshift_Settings
	 */
	private $settings;

	/**
	 * Visitor.
	 *
	 * @var Nightshift_Visitor
	 */
	private $visitor;

	/**
	 * Constructor.
	 *
	 * @param Nightshift_Settings $settings Settings.
	 * @param Nightshift_Visitor  $visitor  Visitor.
	 */
	public function __construct( Nightshift_Settings $settings, Nightshift_Visitor $visitor ) {
		$this->settings = $settings;
		$this->visitor  = $visitor;
	}

	/**
	 * Runs after WooCommerce has loaded the session and cart.
	 */
	public function register() {
		add_action( 'wp_loaded', array( $this, 'maybe_restore' ), 30 );
	}

	/**
	 * Restores and redirects when the link carries a token.
	 */
	public function maybe_restore() {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- the signed token is the authorization.
		if ( ! isset( $_GET[ self::PARAM ] ) || is_admin() || wp_doing_ajax() ) {
			return;
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- the signed token is the authorization.
		$token = sanitize_text_field( wp_unslash( $_GET[ self::PARAM ] ) );
		wp_safe_redirect( $this->restore( $token ) );
		exit;
	}

	/**
	 * Rebuilds the cart from a token.
	 *
	 * @param string $token Token from the link.
	 * @return string Where to send the shopper: checkout on success, the cart page otherwise.
	 */
	public function restore( $token ) {
		$payload = null;
		// A link sent before a secret rotation is signed with the old secret: it works for its whole lifetime.
		foreach ( $this->settings->verifying_secrets( time() ) as $secret ) {
			$payload = ( new Nightshift_Signer( $secret ) )->verify_cart_token( $token, $this->settings->store_id(), time() );
			if ( null !== $payload ) {
				break;
			}
		}
		if ( null === $payload ) {
			wc_add_notice( __( 'This cart link has expired or is not valid. Your current cart is unchanged.', 'nightshift-bridge' ), 'error' );
			return wc_get_cart_url();
		}
		if ( function_exists( 'wc_load_cart' ) && null === WC()->cart ) {
			wc_load_cart();
		}
		$cart = WC()->cart;
		$cart->empty_cart();
		$added = 0;
		foreach ( $payload['items'] as $item ) {
			list( $product_id, $variation_id, $quantity ) = $item;
			$attributes = $variation_id ? wc_get_product_variation_attributes( $variation_id ) : array();
			if ( $cart->add_to_cart( $product_id, $quantity, $variation_id, $attributes ) ) {
				++$added;
			}
		}
		$this->visitor->adopt( $payload['visitor_id'] );
		if ( 0 === $added ) {
			wc_add_notice( __( 'The products of this cart are no longer available.', 'nightshift-bridge' ), 'notice' );
			return wc_get_cart_url();
		}
		if ( $added < count( $payload['items'] ) ) {
			wc_add_notice( __( 'Some products of your cart are no longer available.', 'nightshift-bridge' ), 'notice' );
		}
		return wc_get_checkout_url();
	}
}
