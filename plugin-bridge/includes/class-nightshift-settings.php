<?php
/**
 * The plugin's stored settings and connection state, in one place.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Reads and writes the plugin's options. Nothing else touches them.
 */
final class Nightshift_Settings {

	const URL            = 'nightshift_bridge_url';
	const STORE_ID       = 'nightshift_bridge_store_id';
	const CONNECT_TOKEN  = 'nightshift_bridge_connect_token';
	const WEBHOOK_SECRET = 'nightshift_bridge_webhook_secret';
	const CONNECTION     = 'nightshift_bridge_connection';
	const CONSENT_TEXTS  = 'nightshift_bridge_consent_texts';
	const LAST_ERROR     = 'nightshift_bridge_last_error';
	/** Secrets a rotation replaced, kept to verify the cart links signed with them until those expire. */
	const PREVIOUS_SECRETS = 'nightshift_bridge_previous_secrets';
	/** Prefix of the connect code the Nightshift dashboard shows. */
	const CODE_PREFIX = 'nsc1.';

	/**
	 * Every option the plugin owns, for uninstall.
	 *
	 * @return string[]
	 */
	public static function option_names() {
		return array( self::URL, self::STORE_ID, self::CONNECT_TOKEN, self::WEBHOOK_SECRET, self::CONNECTION, self::CONSENT_TEXTS, self::LAST_ERROR, self::PREVIOUS_SECRETS );
	}

	/**
	 * Nightshift base URL without a trailing slash, e.g. https://nightshift.example.com.
	 *
	 * @return string
	 */
	public function url() {
		return untrailingslashit( (string) get_option( self::URL, '' ) );
	}

	/**
	 * The store id on the Nightshift side.
	 *
	 * @return string
	 */
	public function store_id() {
		return (string) get_option( self::STORE_ID, '' );
	}

	/**
	 * The one-time connect token shown when the store was created in Nightshift.
	 *
	 * @return string
	 */
	public function connect_token() {
		return (string) get_option( self::CONNECT_TOKEN, '' );
	}

	/**
	 * The secret shared with Nightshift: signs webhooks, server events, identity tokens and cart links.
	 *
	 * @return string
	 */
	public function webhook_secret() {
		return (string) get_option( self::WEBHOOK_SECRET, '' );
	}

	/**
	 * Saves the endpoint fields from the settings page.
	 *
	 * @param string $url      Nightshift base URL.
	 * @param string $store_id Store id.
	 * @param string $token    Connect token; an empty string keeps the stored one.
	 */
	public function save_endpoint( $url, $store_id, $token ) {
		update_option( self::URL, untrailingslashit( $url ) );
		update_option( self::STORE_ID, $store_id );
		if ( '' !== $token ) {
			update_option( self::CONNECT_TOKEN, $token, false );
		}
	}

	/**
	 * Reads a connect code: "nsc1." + base64url(JSON {"u": worker URL, "s": store id, "t": connect token}).
	 *
	 * @param string $code The code pasted by the owner.
	 * @return array{url: string, store_id: string, token: string}|null Null when it is not a connect code.
	 */
	public static function decode_connect_code( $code ) {
		$code = trim( (string) $code );
		if ( 0 !== strpos( $code, self::CODE_PREFIX ) ) {
			return null;
		}
		$json = Nightshift_Signer::base64url_decode( substr( $code, strlen( self::CODE_PREFIX ) ) );
		$data = null === $json ? null : json_decode( $json, true );
		if ( ! is_array( $data ) || ! isset( $data['u'], $data['s'], $data['t'] ) || ! is_string( $data['u'] ) || ! is_string( $data['s'] ) || ! is_string( $data['t'] ) ) {
			return null;
		}
		if ( ! preg_match( '#^https?://[^\s/?\#]+(/[^\s?\#]*)?$#', $data['u'] ) || ! preg_match( '/^[a-z0-9-]{1,64}$/', $data['s'] ) || ! preg_match( '/^[A-Za-z0-9_-]{20,200}$/', $data['t'] ) ) {
			return null;
		}
		return array( 'url' => untrailingslashit( $data['u'] ), 'store_id' => $data['s'], 'token' => $data['t'] );
	}

	/**
	 * Saves what a connect code carries.
	 *
	 * @param string $code The code pasted by the owner.
	 * @return bool False when it is not a valid code (nothing saved).
	 */
	public function save_connect_code( $code ) {
		$decoded = self::decode_connect_code( $code );
		if ( null === $decoded ) {
			return false;
		}
		$this->save_endpoint( $decoded['url'], $decoded['store_id'], $decoded['token'] );
		return true;
	}

	/**
	 * The secrets that verify what Nightshift signed: the current one, then those a rotation replaced, until
	 * the links signed with them have expired.
	 *
	 * @param int $now Unix seconds.
	 * @return string[]
	 */
	public function verifying_secrets( $now ) {
		$secrets = '' === $this->webhook_secret() ? array() : array( $this->webhook_secret() );
		foreach ( $this->previous_secrets() as $previous ) {
			if ( (int) $previous['until'] > $now ) {
				$secrets[] = (string) $previous['secret'];
			}
		}
		return $secrets;
	}

	/**
	 * Replaces the secret, keeping the old one for verification until `$keep_until`.
	 *
	 * @param string $secret     The new secret.
	 * @param int    $keep_until Unix seconds.
	 * @param int    $now        Unix seconds (expired entries are dropped).
	 */
	public function rotate_secret( $secret, $keep_until, $now ) {
		$current = $this->webhook_secret();
		$kept    = array_values(
			array_filter(
				$this->previous_secrets(),
				function ( $previous ) use ( $now, $secret ) {
					return (int) $previous['until'] > $now && $previous['secret'] !== $secret;
				}
			)
		);
		if ( '' !== $current && $current !== $secret ) {
			array_unshift( $kept, array( 'secret' => $current, 'until' => (int) $keep_until ) );
		}
		update_option( self::PREVIOUS_SECRETS, $kept, false );
		$this->set_webhook_secret( $secret );
	}

	/**
	 * Replaced secrets with the time until which they verify.
	 *
	 * @return array<int, array{secret: string, until: int}>
	 */
	private function previous_secrets() {
		$previous = get_option( self::PREVIOUS_SECRETS, array() );
		return is_array( $previous ) ? array_values( array_filter( $previous, 'is_array' ) ) : array();
	}

	/**
	 * Stores the webhook secret.
	 *
	 * @param string $secret Secret; empty deletes it.
	 */
	public function set_webhook_secret( $secret ) {
		if ( '' === $secret ) {
			delete_option( self::WEBHOOK_SECRET );
			return;
		}
		update_option( self::WEBHOOK_SECRET, $secret );
	}

	/**
	 * What the last successful connect established: site key, time, webhook ids per topic.
	 *
	 * @return array{site_key?: string, connected_at?: int, webhook_ids?: array<string,int>}
	 */
	public function connection() {
		$connection = get_option( self::CONNECTION, array() );
		return is_array( $connection ) ? $connection : array();
	}

	/**
	 * Records a successful connection.
	 *
	 * @param array $connection Site key, connected_at, webhook ids.
	 */
	public function set_connection( array $connection ) {
		update_option( self::CONNECTION, $connection );
	}

	/**
	 * Forgets the connection (webhook ids included).
	 */
	public function clear_connection() {
		delete_option( self::CONNECTION );
	}

	/**
	 * True when connected and able to sign.
	 *
	 * @return bool
	 */
	public function is_connected() {
		$connection = $this->connection();
		return ! empty( $connection['connected_at'] ) && '' !== $this->webhook_secret() && '' !== $this->url() && '' !== $this->store_id();
	}

	/**
	 * The public site key Nightshift answered on connect.
	 *
	 * @return string
	 */
	public function site_key() {
		$connection = $this->connection();
		return isset( $connection['site_key'] ) ? (string) $connection['site_key'] : '';
	}

	/**
	 * Ids of the WooCommerce webhooks this plugin registered, by topic.
	 *
	 * @return array<string,int>
	 */
	public function webhook_ids() {
		$connection = $this->connection();
		return isset( $connection['webhook_ids'] ) && is_array( $connection['webhook_ids'] ) ? array_map( 'intval', $connection['webhook_ids'] ) : array();
	}

	/**
	 * The last connection error shown on the settings page.
	 *
	 * @return string
	 */
	public function last_error() {
		return (string) get_option( self::LAST_ERROR, '' );
	}

	/**
	 * Sets or clears the last connection error.
	 *
	 * @param string $message Message; empty clears it.
	 */
	public function set_last_error( $message ) {
		if ( '' === $message ) {
			delete_option( self::LAST_ERROR );
			return;
		}
		update_option( self::LAST_ERROR, $message, false );
	}
}
