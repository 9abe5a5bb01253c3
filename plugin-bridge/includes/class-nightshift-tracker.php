<?php
/**
 * The Nightshift tracker on storefront pages.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Enqueues `<url>/tracker.js?store=<id>` (async) and gives it its configuration through
 * `window.nightshiftConfig`. A logged-in customer is identified by a signed identity token,
 * never by a raw email in the page source.
 */
final class Nightshift_Tracker {

	const HANDLE = 'nightshift-tracker';

	/** Identity tokens are short-lived: a page left open for a day re-identifies on the next load. */
	const TOKEN_TTL = DAY_IN_SECONDS;

	/** User meta: keys of the identities already handed to the tracker (customer, email, browser), newest last. */
	const IDENTIFIED_META = 'nightshift_identified';

	/** How many browsers per customer are remembered: switching between them does not identify again. */
	const IDENTIFIED_KEEP = 5;

	/**
	 * Settings.
	 *
	 * @var Nightshift_Settings
	 */
	private $settings;

	/**
	 * Constructor.
	 *
	 * @param Nightshift_Settings $settings Settings.
	 */
	public function __construct( Nightshift_Settings $settings ) {
		$this->settings = $settings;
	}

	/**
	 * Hooks the enqueue.
	 */
	public function register() {
		add_action( 'wp_enqueue_scripts', array( $this, 'enqueue' ) );
	}

	/**
	 * The tracker script URL.
	 *
	 * @return string
	 */
	public function script_url() {
		return $this->settings->url() . '/tracker.js?store=' . rawurlencode( $this->settings->store_id() );
	}

	/**
	 * What the tracker reads from window.nightshiftConfig.
	 *
	 * @param int $user_id Current user id (0 when logged out).
	 * @param int $now     Unix seconds.
	 * @return array
	 */
	public function config( $user_id, $now ) {
		$config = array( 'siteKey' => $this->settings->site_key() );
		if ( $user_id > 0 && $this->identity_changed( $user_id ) ) {
			$signer                 = new Nightshift_Signer( $this->settings->webhook_secret() );
			$config['identityToken'] = $signer->identity_token( $user_id, $now + self::TOKEN_TTL );
		}
		return (array) apply_filters( 'nightshift_bridge_tracker_config', $config, $user_id );
	}

	/**
	 * Whether this customer, with this email, in this browser, was not yet identified to Nightshift; remembers it
	 * when so. The token's expiry changes on every request, so the tracker cannot tell a new identity from a
	 * page view by the token: printing it only when the identity changed sends one identify, not one per page.
	 * The key is an HMAC with the store's secret, so reconnecting to another store identifies again.
	 *
	 * @param int $user_id Current user id.
	 * @return bool
	 */
	private function identity_changed( $user_id ) {
		$user = get_userdata( $user_id );
		// phpcs:ignore WordPressVIPMinimum.Variables.RestrictedVariables.cache_constraints___COOKIE -- logged-in pages are not cached.
		$visitor = isset( $_COOKIE[ Nightshift_Visitor::COOKIE ] ) ? sanitize_text_field( wp_unslash( $_COOKIE[ Nightshift_Visitor::COOKIE ] ) ) : '';
		$email   = $user ? strtolower( trim( (string) $user->user_email ) ) : '';
		$key     = hash_hmac( 'sha256', $user_id . '|' . $email . '|' . $visitor, $this->settings->webhook_secret() );
		$known   = get_user_meta( $user_id, self::IDENTIFIED_META, true );
		$known   = is_array( $known ) ? array_values( array_filter( $known, 'is_string' ) ) : array();
		if ( in_array( $key, $known, true ) ) {
			return false;
		}
		$known[] = $key;
		update_user_meta( $user_id, self::IDENTIFIED_META, array_slice( $known, -self::IDENTIFIED_KEEP ) );
		return true;
	}

	/**
	 * Enqueues the script on storefront pages once the store is connected.
	 */
	public function enqueue() {
		if ( is_admin() || ! $this->settings->is_connected() ) {
			return;
		}
		// A null version keeps the URL exactly as the worker serves and caches it.
		wp_enqueue_script(
			self::HANDLE,
			$this->script_url(),
			array(),
			null, // phpcs:ignore WordPress.WP.EnqueuedResourceParameters.MissingVersion -- see above.
			array(
				'strategy'  => 'async',
				'in_footer' => false,
			)
		);
		$config = $this->config( get_current_user_id(), time() );
		// JSON_HEX_TAG: a filtered value can never close the inline <script>.
		wp_add_inline_script( self::HANDLE, 'window.nightshiftConfig = ' . wp_json_encode( $config, JSON_HEX_TAG | JSON_HEX_AMP ) . ';', 'before' );
	}
}
