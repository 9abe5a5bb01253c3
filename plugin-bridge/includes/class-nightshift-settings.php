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

	/**
	 * Every option the plugin owns, for uninstall.
	 *
	 * @return string[]
	 */
	public static function option_names() {
		return array( self::URL, self::STORE_ID, self::CONNECT_TOKEN, self::WEBHOOK_SECRET, self::CONNECTION, self::CONSENT_TEXTS, self::LAST_ERROR );
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
