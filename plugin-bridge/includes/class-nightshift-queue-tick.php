<?php
/**
 * A signed endpoint that runs WooCommerce's pending webhook deliveries.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * `POST /wp-json/nightshift/v1/tick` (or `?rest_route=/nightshift/v1/tick` without pretty permalinks).
 *
 * WooCommerce delivers webhooks through Action Scheduler, which WP-Cron runs only when someone visits the
 * site: on a quiet night an order webhook can wait for hours. Nightshift's worker calls this endpoint every
 * minute, signed like the plugin's own events (X-Nightshift-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret,
 * "<t>." + body)>, within 300 s), and it runs the due `woocommerce_deliver_webhook_async` actions at once.
 */
final class Nightshift_Queue_Tick {

	const REST_NAMESPACE = 'nightshift/v1';
	const ROUTE          = '/tick';
	const HOOK           = 'woocommerce_deliver_webhook_async';
	const TOLERANCE      = 300;
	/** At most this many deliveries per call, so one call stays far below PHP's and the worker's time limits. */
	const BATCH = 25;

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
	 * Hooks the route.
	 */
	public function register() {
		add_action( 'rest_api_init', array( $this, 'register_route' ) );
	}

	/**
	 * Registers the route; the signature is the permission check.
	 */
	public function register_route() {
		register_rest_route(
			self::REST_NAMESPACE,
			self::ROUTE,
			array(
				'methods'             => 'POST',
				'callback'            => array( $this, 'handle' ),
				'permission_callback' => array( $this, 'authorize' ),
			)
		);
	}

	/**
	 * Accepts only a fresh signature made with this store's webhook secret.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 */
	public function authorize( $request ) {
		$ok = self::verify( $this->settings->webhook_secret(), (string) $request->get_header( 'x_nightshift_signature' ), (string) $request->get_body(), time() );
		return $ok ? true : new WP_Error( 'nightshift_bad_signature', 'Invalid or expired signature.', array( 'status' => 401 ) );
	}

	/**
	 * Checks `t=<unix>,v1=<hex>` in constant time.
	 *
	 * @param string $secret Webhook secret.
	 * @param string $header Header value.
	 * @param string $body   Raw body.
	 * @param int    $now    Unix seconds.
	 * @return bool
	 */
	public static function verify( $secret, $header, $body, $now ) {
		if ( '' === $secret || ! preg_match( '/^t=(\d{1,12}),v1=([0-9a-f]{64})$/', trim( $header ), $m ) ) {
			return false;
		}
		if ( abs( (int) $now - (int) $m[1] ) > self::TOLERANCE ) {
			return false;
		}
		$signer = new Nightshift_Signer( $secret );
		return hash_equals( $signer->signature_header( $body, (int) $m[1] ), 't=' . $m[1] . ',v1=' . $m[2] );
	}

	/**
	 * Runs the due webhook deliveries and says how many ran and how many are still waiting.
	 *
	 * @return WP_REST_Response|array
	 */
	public function handle() {
		// The worker hangs up after a few seconds; deliveries already started must still finish.
		ignore_user_abort( true );
		$ran = 0;
		if ( function_exists( 'as_get_scheduled_actions' ) && class_exists( 'ActionScheduler' ) ) {
			$runner = ActionScheduler::runner();
			foreach ( self::due( self::BATCH ) as $action_id ) {
				// The queue runner claims nothing here: it runs one action as WP-Cron would, logging and retrying the same way.
				$runner->process_action( (int) $action_id, 'Nightshift tick' );
				++$ran;
			}
		}
		$answer = array(
			'ran'     => $ran,
			'pending' => count( self::due( self::BATCH ) ),
		);
		return class_exists( 'WP_REST_Response' ) ? new WP_REST_Response( $answer, 200 ) : $answer;
	}

	/**
	 * Ids of the pending delivery actions that are due now, oldest first.
	 *
	 * @param int $limit How many.
	 * @return int[]
	 */
	private static function due( $limit ) {
		if ( ! function_exists( 'as_get_scheduled_actions' ) ) {
			return array();
		}
		return array_map(
			'intval',
			(array) as_get_scheduled_actions(
				array(
					'hook'         => self::HOOK,
					'status'       => ActionScheduler_Store::STATUS_PENDING,
					'date'         => gmdate( 'Y-m-d H:i:s' ),
					'date_compare' => '<=',
					'orderby'      => 'date',
					'order'        => 'ASC',
					'per_page'     => $limit,
				),
				'ids'
			)
		);
	}
}
