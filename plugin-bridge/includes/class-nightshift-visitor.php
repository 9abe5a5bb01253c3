<?php
/**
 * The shopper's first-party visitor id, shared with the tracker.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Reads the tracker's `ns_vid` cookie, or creates it when a server event needs an id before the
 * tracker ran (scripts blocked). Set lazily, so cacheable storefront pages never get a cookie.
 */
final class Nightshift_Visitor {

	const COOKIE = 'ns_vid';

	/**
	 * Id chosen during this request.
	 *
	 * @var string
	 */
	private $id = '';

	/**
	 * Whether a string is a valid visitor id (the worker's rule).
	 *
	 * @param mixed $id Candidate.
	 * @return bool
	 */
	public static function is_valid( $id ) {
		return is_string( $id ) && 1 === preg_match( '/^[A-Za-z0-9_-]{8,64}$/', $id );
	}

	/**
	 * The visitor id, creating and setting the cookie when there is none yet.
	 *
	 * @return string
	 */
	public function id() {
		if ( '' !== $this->id ) {
			return $this->id;
		}
		// phpcs:ignore WordPressVIPMinimum.Variables.RestrictedVariables.cache_constraints___COOKIE -- pages using it are uncached (cart, checkout).
		$cookie = isset( $_COOKIE[ self::COOKIE ] ) ? sanitize_text_field( wp_unslash( $_COOKIE[ self::COOKIE ] ) ) : '';
		if ( self::is_valid( $cookie ) ) {
			$this->id = $cookie;
			return $this->id;
		}
		$this->adopt( 'v_' . strtolower( wp_generate_password( 22, false, false ) ) );
		return $this->id;
	}

	/**
	 * Uses a known id (e.g. from a cart restore link) for this request and the next ones.
	 *
	 * @param string $id Visitor id.
	 */
	public function adopt( $id ) {
		if ( ! self::is_valid( $id ) ) {
			return;
		}
		$this->id = $id;
		if ( ! headers_sent() ) {
			// Readable by the tracker on purpose (not HttpOnly): both sides must share the id.
			setcookie(
				self::COOKIE,
				$id,
				array(
					'expires'  => time() + 400 * DAY_IN_SECONDS,
					'path'     => defined( 'COOKIEPATH' ) && COOKIEPATH ? COOKIEPATH : '/',
					'secure'   => is_ssl(),
					'httponly' => false,
					'samesite' => 'Lax',
				)
			);
		}
	}
}
