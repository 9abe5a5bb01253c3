<?php
/**
 * HMAC signing shared with the Nightshift worker (see plugin-bridge/README.md, "Contract").
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Signs server events and identity tokens; verifies cart restore tokens. Pure: no WordPress calls,
 * so the shared test vectors can pin its output byte for byte.
 */
final class Nightshift_Signer {

	/**
	 * The store's webhook secret.
	 *
	 * @var string
	 */
	private $secret;

	/**
	 * Constructor.
	 *
	 * @param string $secret The store's webhook secret.
	 */
	public function __construct( $secret ) {
		$this->secret = (string) $secret;
	}

	/**
	 * Value of the X-Nightshift-Signature header: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>.
	 *
	 * @param string $body      The exact request body bytes.
	 * @param int    $timestamp Unix seconds.
	 * @return string
	 */
	public function signature_header( $body, $timestamp ) {
		$timestamp = (int) $timestamp;
		return 't=' . $timestamp . ',v1=' . hash_hmac( 'sha256', $timestamp . '.' . $body, $this->secret );
	}

	/**
	 * Identity token for a logged-in customer: "<id>.<exp>.<hex HMAC-SHA256(secret, "nsid.<id>.<exp>")>".
	 * It lets the tracker identify the shopper without a raw email in the page source.
	 *
	 * @param int $customer_id WooCommerce customer (user) id.
	 * @param int $expires_at  Unix seconds.
	 * @return string
	 */
	public function identity_token( $customer_id, $expires_at ) {
		$customer_id = (int) $customer_id;
		$expires_at  = (int) $expires_at;
		$mac         = hash_hmac( 'sha256', 'nsid.' . $customer_id . '.' . $expires_at, $this->secret );
		return $customer_id . '.' . $expires_at . '.' . $mac;
	}

	/**
	 * Verifies a cart restore token signed by the worker:
	 * base64url(JSON {"s","v","i","e"}) . "." . base64url(HMAC-SHA256(secret, first part)).
	 *
	 * @param string $token    The token from the link.
	 * @param string $store_id This store's Nightshift id.
	 * @param int    $now      Unix seconds.
	 * @return array{visitor_id: string, items: array<int, array{0:int,1:int,2:int}>, expires_at: int}|null Null when forged, expired, for another store or malformed.
	 */
	public function verify_cart_token( $token, $store_id, $now ) {
		if ( '' === $this->secret || ! is_string( $token ) || strlen( $token ) > 8192 ) {
			return null;
		}
		$parts = explode( '.', $token );
		if ( 2 !== count( $parts ) || '' === $parts[0] ) {
			return null;
		}
		$expected = self::base64url_encode( hash_hmac( 'sha256', $parts[0], $this->secret, true ) );
		if ( ! hash_equals( $expected, $parts[1] ) ) {
			return null;
		}
		$json    = self::base64url_decode( $parts[0] );
		$payload = null === $json ? null : json_decode( $json, true );
		if ( ! is_array( $payload ) || ! isset( $payload['s'], $payload['v'], $payload['i'], $payload['e'] ) ) {
			return null;
		}
		if ( ! is_string( $payload['s'] ) || ! hash_equals( (string) $store_id, $payload['s'] ) ) {
			return null;
		}
		if ( ! is_int( $payload['e'] ) || $payload['e'] <= (int) $now ) {
			return null;
		}
		$items = self::cart_items( $payload['i'] );
		if ( null === $items || ! is_string( $payload['v'] ) ) {
			return null;
		}
		return array(
			'visitor_id' => $payload['v'],
			'items'      => $items,
			'expires_at' => $payload['e'],
		);
	}

	/**
	 * Checks the [productId, variationId, quantity] triples.
	 *
	 * @param mixed $items Decoded "i" field.
	 * @return array|null
	 */
	private static function cart_items( $items ) {
		if ( ! is_array( $items ) || count( $items ) > 200 ) {
			return null;
		}
		$clean = array();
		foreach ( $items as $item ) {
			if ( ! is_array( $item ) || 3 !== count( $item ) || ! isset( $item[0], $item[1], $item[2] ) ) {
				return null;
			}
			list( $product_id, $variation_id, $quantity ) = $item;
			if ( ! is_int( $product_id ) || ! is_int( $variation_id ) || ! is_int( $quantity ) || $product_id <= 0 || $variation_id < 0 || $quantity <= 0 ) {
				return null;
			}
			$clean[] = array( $product_id, $variation_id, $quantity );
		}
		return $clean;
	}

	/**
	 * Base64url without padding.
	 *
	 * @param string $bytes Raw bytes.
	 * @return string
	 */
	public static function base64url_encode( $bytes ) {
		// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- wire format, not obfuscation.
		return rtrim( strtr( base64_encode( $bytes ), '+/', '-_' ), '=' );
	}

	/**
	 * Decodes base64url without padding; null when invalid.
	 *
	 * @param string $text Encoded text.
	 * @return string|null
	 */
	public static function base64url_decode( $text ) {
		if ( ! preg_match( '/^[A-Za-z0-9_-]*$/', $text ) || 1 === strlen( $text ) % 4 ) {
			return null;
		}
		$padded = str_pad( strtr( $text, '-_', '+/' ), (int) ( ceil( strlen( $text ) / 4 ) * 4 ), '=' );
		// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- wire format, not obfuscation.
		$bytes = base64_decode( $padded, true );
		return false === $bytes ? null : $bytes;
	}
}
