<?php
/**
 * Connecting and disconnecting the store.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * The Connect and Disconnect buttons. Connect hands the secret to Nightshift first and registers
 * webhooks only once Nightshift knows it, so the first delivery already verifies.
 */
final class Nightshift_Connection {

	/**
	 * Settings.
	 *
	 * @var Nightshift_Settings
	 */
	private $settings;

	/**
	 * Client.
	 *
	 * @var Nightshift_Client
	 */
	private $client;

	/**
	 * Webhooks.
	 *
	 * @var Nightshift_Webhooks
	 */
	private $webhooks;

	/**
	 * Constructor.
	 *
	 * @param Nightshift_Settings $settings Settings.
	 * @param Nightshift_Client   $client   Client.
	 * @param Nightshift_Webhooks $webhooks Webhooks.
	 */
	public function __construct( Nightshift_Settings $settings, Nightshift_Client $client, Nightshift_Webhooks $webhooks ) {
		$this->settings = $settings;
		$this->client   = $client;
		$this->webhooks = $webhooks;
	}

	/**
	 * Where WooCommerce delivers webhooks for this store.
	 *
	 * @return string
	 */
	public function delivery_url() {
		return $this->settings->url() . '/webhooks/woocommerce/' . rawurlencode( $this->settings->store_id() );
	}

	/**
	 * Connects, or reconnects with the same secret and the same webhooks.
	 *
	 * @param int $user_id Admin who connects (owner of the webhooks).
	 * @return true|WP_Error
	 */
	public function connect( $user_id ) {
		if ( ! wp_http_validate_url( $this->settings->url() ) || '' === $this->settings->store_id() || '' === $this->settings->connect_token() ) {
			return new WP_Error( 'nightshift_incomplete', __( 'Enter the Nightshift URL, the store id and the connect token first.', 'nightshift-bridge' ) );
		}
		$secret = $this->settings->webhook_secret();
		if ( '' === $secret ) {
			$secret = wp_generate_password( 50, true, true );
			$this->settings->set_webhook_secret( $secret );
		}
		$answer = $this->client->connect( $secret );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		$connection  = $this->settings->connection();
		$webhook_ids = $this->webhooks->sync( $this->delivery_url(), $secret, $this->settings->webhook_ids(), $user_id );
		$this->settings->set_connection(
			array(
				'site_key'     => (string) $answer['siteKey'],
				'connected_at' => ! empty( $connection['connected_at'] ) ? (int) $connection['connected_at'] : time(),
				'webhook_ids'  => $webhook_ids,
			)
		);
		return true;
	}

	/**
	 * Registers the topics a newer plugin version subscribes to (e.g. the lifecycle topics) on a store connected
	 * before, without a new Connect: the existing webhooks are reused, only the missing ones are added.
	 *
	 * @param int $user_id Admin who owns the webhooks.
	 * @return bool Whether webhooks were synced.
	 */
	public function ensure_topics( $user_id ) {
		$ids = $this->settings->webhook_ids();
		if ( ! $this->settings->is_connected() || array() === array_diff( Nightshift_Webhooks::TOPICS, array_keys( $ids ) ) ) {
			return false;
		}
		$connection                = $this->settings->connection();
		$connection['webhook_ids'] = $this->webhooks->sync( $this->delivery_url(), $this->settings->webhook_secret(), $ids, $user_id );
		$this->settings->set_connection( $connection );
		return true;
	}

	/**
	 * Hooked on admin_init: a shop manager's visit to the admin brings the webhooks up to date after an update.
	 */
	public function upgrade_webhooks() {
		if ( current_user_can( 'manage_woocommerce' ) ) {
			$this->ensure_topics( get_current_user_id() );
		}
	}

	/**
	 * Removes the webhooks and forgets the secret, even when Nightshift cannot be reached: the
	 * store owner asked to stop sending data.
	 *
	 * @return true|WP_Error The worker's error, if it could not be told (everything local is done).
	 */
	public function disconnect() {
		$result = '' !== $this->settings->connect_token() ? $this->client->disconnect() : true;
		$this->webhooks->remove( $this->settings->webhook_ids() );
		$this->settings->clear_connection();
		$this->settings->set_webhook_secret( '' );
		return $result;
	}
}
