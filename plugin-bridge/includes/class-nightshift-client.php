<?php
/**
 * HTTP calls to the Nightshift worker.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Talks to the worker: the connect endpoint and signed batches to POST /collect.
 * Never throws and never lets a slow or failing worker slow down or break the shop.
 */
final class Nightshift_Client {

	/** The worker accepts at most this many events per batch. */
	const MAX_EVENTS = 50;

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
	 * JSON exactly as the worker's test vectors expect: compact, unescaped slashes and Unicode.
	 *
	 * @param array $data Data.
	 * @return string
	 */
	public static function encode( array $data ) {
		return (string) wp_json_encode( $data, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
	}

	/**
	 * Hands the webhook secret to the worker: POST /api/stores/:store/connect.
	 *
	 * @param string $secret The webhook secret this site generated.
	 * @return array|WP_Error The worker's answer (store, siteKey, trackerUrl, collectUrl, webhookUrl).
	 */
	public function connect( $secret ) {
		$body = array(
			'webhookSecret' => $secret,
			'siteUrl'       => home_url( '/' ),
			'pluginVersion' => NIGHTSHIFT_BRIDGE_VERSION,
			'timezone'      => wp_timezone_string(),
			'currency'      => get_woocommerce_currency(),
		);
		if ( ! preg_match( '#^[A-Za-z]+/[A-Za-z0-9_+-]+#', $body['timezone'] ) ) {
			// WordPress allows "+02:00" offsets, which are not IANA zones; the worker keeps its own then.
			unset( $body['timezone'] );
		}
		$answer = $this->store_call( 'connect', $body );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		if ( empty( $answer['siteKey'] ) || ! is_string( $answer['siteKey'] ) ) {
			return new WP_Error( 'nightshift_bad_answer', __( 'Nightshift answered without a site key.', 'nightshift-bridge' ) );
		}
		return $answer;
	}

	/**
	 * Tells the worker the store disconnected: POST /api/stores/:store/disconnect.
	 *
	 * @return true|WP_Error
	 */
	public function disconnect() {
		$answer = $this->store_call( 'disconnect', array() );
		return is_wp_error( $answer ) ? $answer : true;
	}

	/**
	 * Sends events to POST /collect, signed, in batches of at most 50.
	 *
	 * @param string $visitor_id Visitor id (the tracker's ns_vid).
	 * @param array  $events     Events as the beacon contract defines them.
	 * @param bool   $blocking   Wait for the answer (AJAX calls) or fire and forget (page requests).
	 * @return bool True when every batch was handed over (and, if blocking, accepted).
	 */
	public function send_events( $visitor_id, array $events, $blocking = false ) {
		$secret = $this->settings->webhook_secret();
		if ( array() === $events || '' === $secret || '' === $this->settings->url() ) {
			return false;
		}
		$signer = new Nightshift_Signer( $secret );
		$ok     = true;
		foreach ( array_chunk( $events, self::MAX_EVENTS ) as $chunk ) {
			$body     = self::encode(
				array(
					'store'     => $this->settings->store_id(),
					'visitorId' => $visitor_id,
					'events'    => $chunk,
				)
			);
			$response = wp_remote_post(
				$this->settings->url() . '/collect',
				array(
					'timeout'  => (float) apply_filters( 'nightshift_bridge_event_timeout', $blocking ? 3.0 : 1.0, $blocking ),
					'blocking' => (bool) $blocking,
					'headers'  => array(
						'Content-Type'           => 'application/json',
						'X-Nightshift-Signature' => $signer->signature_header( $body, time() ),
					),
					'body'     => $body,
				)
			);
			$ok = $ok && ! is_wp_error( $response ) && ( ! $blocking || 204 === (int) wp_remote_retrieve_response_code( $response ) );
		}
		return $ok;
	}

	/**
	 * Asks the worker, signed like /collect batches, about one email address for WordPress's personal-data
	 * tools: POST /api/stores/:store/privacy/export or /erase. Blocking: the admin is waiting for the answer.
	 *
	 * @param string $action export|erase.
	 * @param string $email  The address the request is about.
	 * @return array|WP_Error Decoded answer.
	 */
	public function privacy_request( $action, $email ) {
		$secret = $this->settings->webhook_secret();
		if ( '' === $secret || '' === $this->settings->url() ) {
			return new WP_Error( 'nightshift_not_connected', __( 'The store is not connected to Nightshift.', 'nightshift-bridge' ) );
		}
		$body     = self::encode( array( 'email' => (string) $email ) );
		$response = wp_remote_post(
			$this->settings->url() . '/api/stores/' . rawurlencode( $this->settings->store_id() ) . '/privacy/' . $action,
			array(
				'timeout' => 15,
				'headers' => array(
					'Content-Type'           => 'application/json',
					'X-Nightshift-Signature' => ( new Nightshift_Signer( $secret ) )->signature_header( $body, time() ),
				),
				'body'    => $body,
			)
		);
		if ( is_wp_error( $response ) ) {
			return $response;
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		$answer = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		if ( 200 !== $status || ! is_array( $answer ) ) {
			/* translators: %d: HTTP status code. */
			return new WP_Error( 'nightshift_http_' . $status, sprintf( __( 'Nightshift refused the request (HTTP %d).', 'nightshift-bridge' ), $status ) );
		}
		return $answer;
	}

	/**
	 * POST /api/stores/:store/<action> with the connect token.
	 *
	 * @param string $action connect|disconnect.
	 * @param array  $body   JSON body.
	 * @return array|WP_Error Decoded answer.
	 */
	private function store_call( $action, array $body ) {
		$url      = $this->settings->url() . '/api/stores/' . rawurlencode( $this->settings->store_id() ) . '/' . $action;
		$response = wp_remote_post(
			$url,
			array(
				'timeout' => 15,
				'headers' => array(
					'Authorization' => 'Bearer ' . $this->settings->connect_token(),
					'Content-Type'  => 'application/json',
				),
				'body'    => array() === $body ? '{}' : self::encode( $body ),
			)
		);
		if ( is_wp_error( $response ) ) {
			return $response;
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		$answer = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		if ( $status < 200 || $status >= 300 ) {
			$detail = is_array( $answer ) && isset( $answer['error']['message'] ) ? (string) $answer['error']['message'] : '';
			/* translators: 1: HTTP status code, 2: error message from Nightshift. */
			return new WP_Error( 'nightshift_http_' . $status, trim( sprintf( __( 'Nightshift refused the request (HTTP %1$d). %2$s', 'nightshift-bridge' ), $status, $detail ) ) );
		}
		return is_array( $answer ) ? $answer : array();
	}
}
