<?php
/**
 * Receiving a new webhook secret from Nightshift (secret rotation).
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * `POST /wp-json/nightshift/v1/secret` (or `?rest_route=/nightshift/v1/secret`): Nightshift hands over a new secret
 * in a call signed with the current one. The plugin keeps the old secret for the cart links already sent, gives
 * every WooCommerce webhook the new one, and answers 200 only once all of that is saved.
 */
final class Nightshift_Secret_Rotation {

	const ROUTE_NAMESPACE = 'nightshift/v1';
	const ROUTE           = '/secret';
	/** The worker's cart links live 30 days; the old secret verifies them a day longer. */
	const KEEP_OLD_SECRET_SECONDS = 31 * DAY_IN_SECONDS;
	/** Same tolerance as the worker's for signed batches. */
	const TOLERANCE_SECONDS = 300;

	/**
	 * Settings.
	 *
	 * @var Nightshift_Settings
	 */
	private $settings;

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
	 * @param Nightshift_Webhooks $webhooks Webhooks.
	 */
	public function __construct( Nightshift_Settings $settings, Nightshift_Webhooks $webhooks ) {
		$this->settings = $settings;
		$this->webhooks = $webhooks;
	}

	/**
	 * Registers the REST route.
	 */
	public function register() {
		add_action( 'rest_api_init', array( $this, 'register_route' ) );
	}

	/**
	 * The route: public, because the signature is the authorization (checked in `receive`).
	 */
	public function register_route() {
		register_rest_route(
			self::ROUTE_NAMESPACE,
			self::ROUTE,
			array(
				'methods'             => 'POST',
				'callback'            => array( $this, 'handle' ),
				'permission_callback' => '__return_true',
			)
		);
	}

	/**
	 * REST callback.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public function handle( $request ) {
		$result = $this->receive( (string) $request->get_body(), (string) $request->get_header( 'x_nightshift_signature' ), time() );
		return new WP_REST_Response( $result['body'], $result['status'] );
	}

	/**
	 * Checks the call and applies the new secret.
	 *
	 * @param string $body   Raw request body.
	 * @param string $header X-Nightshift-Signature.
	 * @param int    $now    Unix seconds.
	 * @return array{status: int, body: array}
	 */
	public function receive( $body, $header, $now ) {
		$data   = json_decode( $body, true );
		$secret = is_array( $data ) && isset( $data['secret'] ) && is_string( $data['secret'] ) ? $data['secret'] : '';
		$repeat = '' !== $secret && $secret === $this->settings->webhook_secret();
		// Only the current secret may change it. A repeated hand-over (the worker missed the first answer) is signed
		// with the secret it replaced, and changes nothing: whoever holds an old secret cannot install their own.
		$signers = $repeat ? $this->settings->verifying_secrets( $now ) : array( $this->settings->webhook_secret() );
		if ( ! self::signed_by( $signers, $body, $header, $now ) ) {
			return self::refusal( 'nightshift_bad_signature', 401 );
		}
		if ( ! isset( $data['store'] ) || $data['store'] !== $this->settings->store_id() || strlen( $secret ) < 20 || strlen( $secret ) > 255 ) {
			return self::refusal( 'nightshift_bad_request', 400 );
		}
		if ( ! $repeat ) {
			$this->settings->rotate_secret( $secret, $now + self::KEEP_OLD_SECRET_SECONDS, $now );
		}
		$count = $this->webhooks->set_secret( $this->settings->webhook_ids(), $secret );
		return array(
			'status' => 200,
			'body'   => array(
				'ok'       => true,
				'webhooks' => $count,
			),
		);
	}

	/**
	 * The X-Nightshift-Signature of the body, by one of these secrets, within the tolerance.
	 *
	 * @param string[] $secrets Secrets.
	 * @param string   $body    Raw body.
	 * @param string   $header  X-Nightshift-Signature.
	 * @param int      $now     Unix seconds.
	 * @return bool
	 */
	private static function signed_by( array $secrets, $body, $header, $now ) {
		if ( ! preg_match( '/^t=(\d{1,12}),v1=[0-9a-f]{64}$/', trim( $header ), $m ) || abs( $now - (int) $m[1] ) > self::TOLERANCE_SECONDS ) {
			return false;
		}
		foreach ( $secrets as $secret ) {
			if ( '' !== $secret && hash_equals( ( new Nightshift_Signer( $secret ) )->signature_header( $body, (int) $m[1] ), trim( $header ) ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * An error answer in the WordPress REST format.
	 *
	 * @param string $code   Error code.
	 * @param int    $status HTTP status.
	 * @return array{status: int, body: array}
	 */
	private static function refusal( $code, $status ) {
		return array(
			'status' => $status,
			'body'   => array(
				'code'    => $code,
				'message' => $code,
				'data'    => array( 'status' => $status ),
			),
		);
	}
}
