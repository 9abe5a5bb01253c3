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
	 * Where to send the owner to approve Nightshift's REST access, after a connect that offered it.
	 *
	 * @var string
	 */
	private $authorize_url = '';

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
			return new WP_Error( 'nightshift_incomplete', __( 'Paste the connect code from the Nightshift dashboard first.', 'nightshift-bridge' ) );
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
		$this->authorize_url = $this->build_authorize_url( $answer );
		$connection          = $this->settings->connection();
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
	 * WooCommerce's app authorization for the last connect, or '' when Nightshift has its REST keys already (or
	 * cannot receive them: WooCommerce requires an HTTPS callback).
	 *
	 * @return string
	 */
	public function authorize_url() {
		return $this->authorize_url;
	}

	/**
	 * `/wc-auth/v1/authorize` on this site, with the one-time `user_id` Nightshift issued: WooCommerce echoes it in
	 * its unsigned callback, where it is the proof the keys are for this store.
	 *
	 * @param array $answer The worker's connect answer.
	 * @return string
	 */
	private function build_authorize_url( array $answer ) {
		$offer = isset( $answer['wcAuth'] ) && is_array( $answer['wcAuth'] ) ? $answer['wcAuth'] : array();
		if ( empty( $offer['userId'] ) || empty( $offer['callbackUrl'] ) || 0 !== strpos( (string) $offer['callbackUrl'], 'https://' ) ) {
			return '';
		}
		$query = http_build_query(
			array(
				'app_name'     => 'Nightshift',
				'scope'        => 'read_write',
				'user_id'      => (string) $offer['userId'],
				'return_url'   => admin_url( 'admin.php?page=nightshift-bridge&nightshift=authorized' ),
				'callback_url' => (string) $offer['callbackUrl'],
			),
			'',
			'&',
			PHP_QUERY_RFC3986
		);
		// Without pretty permalinks WooCommerce reads the same route from query variables.
		return '' === (string) get_option( 'permalink_structure', '' )
			? home_url( '/?wc-auth-version=1&wc-auth-route=authorize&' . $query )
			: home_url( '/wc-auth/v1/authorize?' . $query );
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
