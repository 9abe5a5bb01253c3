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
		if ( $user_id > 0 ) {
			$signer                 = new Nightshift_Signer( $this->settings->webhook_secret() );
			$config['identityToken'] = $signer->identity_token( $user_id, $now + self::TOKEN_TTL );
		}
		return (array) apply_filters( 'nightshift_bridge_tracker_config', $config, $user_id );
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
