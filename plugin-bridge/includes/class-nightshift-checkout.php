<?php
/**
 * Checkout: consent boxes, early email capture, consent on the order.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Adds the marketing consent boxes to the classic checkout, captures the email by AJAX as soon as
 * the shopper types it (with the cart, so it can be recovered), and records the final choices on
 * the order and with Nightshift.
 */
final class Nightshift_Checkout {

	const AJAX_ACTION  = 'nightshift_capture';
	const EMAIL_FIELD  = 'nightshift_email_consent';
	const SMS_FIELD    = 'nightshift_sms_consent';
	const META_EMAIL   = 'nightshift_consent_email';
	const META_SMS     = 'nightshift_consent_sms';
	const META_VERSION = 'nightshift_consent_text_version';

	/**
	 * Queue.
	 *
	 * @var Nightshift_Event_Queue
	 */
	private $queue;

	/**
	 * Consent wording.
	 *
	 * @var Nightshift_Consent
	 */
	private $consent;

	/**
	 * Constructor.
	 *
	 * @param Nightshift_Event_Queue $queue   Queue.
	 * @param Nightshift_Consent     $consent Consent wording.
	 */
	public function __construct( Nightshift_Event_Queue $queue, Nightshift_Consent $consent ) {
		$this->queue   = $queue;
		$this->consent = $consent;
	}

	/**
	 * Hooks into the checkout.
	 */
	public function register() {
		add_action( 'woocommerce_after_checkout_billing_form', array( $this, 'render_fields' ) );
		add_action( 'wp_enqueue_scripts', array( $this, 'enqueue_script' ) );
		add_action( 'wc_ajax_' . self::AJAX_ACTION, array( $this, 'ajax_capture' ) );
		add_action( 'woocommerce_checkout_order_processed', array( $this, 'on_order_processed' ), 10, 3 );
	}

	/**
	 * Prints the two boxes, always unticked: consent must be an active choice.
	 */
	public function render_fields() {
		echo '<div class="nightshift-consent">';
		woocommerce_form_field(
			self::EMAIL_FIELD,
			array(
				'type'  => 'checkbox',
				'class' => array( 'form-row-wide' ),
				'label' => esc_html( $this->consent->email_label() ),
			),
			false
		);
		woocommerce_form_field(
			self::SMS_FIELD,
			array(
				'type'  => 'checkbox',
				'class' => array( 'form-row-wide' ),
				'label' => esc_html( $this->consent->sms_label() ),
			),
			false
		);
		echo '</div>';
	}

	/**
	 * Loads the capture script on the checkout page only.
	 */
	public function enqueue_script() {
		if ( ! is_checkout() || is_order_received_page() ) {
			return;
		}
		wp_enqueue_script( 'nightshift-checkout-capture', plugins_url( 'assets/js/checkout-capture.js', NIGHTSHIFT_BRIDGE_FILE ), array(), NIGHTSHIFT_BRIDGE_VERSION, array( 'in_footer' => true ) );
		wp_localize_script(
			'nightshift-checkout-capture',
			'nightshiftCheckout',
			array(
				'endpoint' => WC_AJAX::get_endpoint( self::AJAX_ACTION ),
				'nonce'    => wp_create_nonce( self::AJAX_ACTION ),
			)
		);
	}

	/**
	 * The identify event for what the shopper typed; null when the email is not valid.
	 *
	 * @param string $email       Email.
	 * @param string $phone       Phone (may be empty).
	 * @param bool   $email_optin Email box ticked.
	 * @param bool   $sms_optin   SMS box ticked.
	 * @return array|null
	 */
	public function identify_props( $email, $phone, $email_optin, $sms_optin ) {
		$email = sanitize_email( $email );
		if ( '' === $email || ! is_email( $email ) || strlen( $email ) > 254 ) {
			return null;
		}
		$props   = array(
			'email'  => $email,
			'source' => 'checkout',
		);
		$consent = $this->consent->flags( $email_optin, $sms_optin );
		if ( array() !== $consent ) {
			// Unticked boxes send nothing: not giving consent at checkout never withdraws an earlier one.
			$props['consent'] = $consent;
		}
		$phone = wc_sanitize_phone_number( (string) $phone );
		if ( preg_match( '/^\+?[0-9 ().-]{6,24}$/', $phone ) ) {
			$props['phone'] = $phone;
		}
		return $props;
	}

	/**
	 * AJAX (wc-ajax=nightshift_capture): the email as soon as it is typed, with the consent
	 * choices and the cart. Always answers quickly; a Nightshift outage is invisible here.
	 */
	public function ajax_capture() {
		if ( ! check_ajax_referer( self::AJAX_ACTION, 'security', false ) ) {
			wp_send_json_error( null, 403 );
		}
		$email = isset( $_POST['email'] ) ? sanitize_text_field( wp_unslash( $_POST['email'] ) ) : '';
		$phone = isset( $_POST['phone'] ) ? sanitize_text_field( wp_unslash( $_POST['phone'] ) ) : '';
		$props = $this->identify_props( $email, $phone, ! empty( $_POST['email_consent'] ), ! empty( $_POST['sms_consent'] ) );
		if ( null === $props ) {
			wp_send_json_error( null, 400 );
		}
		$events = array( Nightshift_Event_Queue::event( 'identify', $props ) );
		if ( WC()->cart && ! WC()->cart->is_empty() ) {
			$events[] = Nightshift_Event_Queue::event( 'checkout_started', array( 'cart' => Nightshift_Cart_Events::snapshot( WC()->cart ) ) );
		}
		wp_send_json_success( array( 'sent' => $this->queue->send_now( $events ) ) );
	}

	/**
	 * Classic checkout: the boxes come with the posted form.
	 *
	 * @param int      $order_id    Order id.
	 * @param array    $posted_data Posted checkout data.
	 * @param WC_Order $order       Order.
	 */
	public function on_order_processed( $order_id, $posted_data, $order ) {
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- WC_Checkout verified its nonce before this hook.
		$email_optin = ! empty( $_POST[ self::EMAIL_FIELD ] );
		$sms_optin   = ! empty( $_POST[ self::SMS_FIELD ] );
		// phpcs:enable
		$this->record_order_choices( $order, $email_optin, $sms_optin );
	}

	/**
	 * Records the final choices on the order (meta without a leading underscore, so the order
	 * webhook carries them too) and sends them to Nightshift. The classic and the block checkout both end here.
	 *
	 * @param WC_Order $order       Order.
	 * @param bool     $email_optin Email box ticked.
	 * @param bool     $sms_optin   SMS box ticked.
	 */
	public function record_order_choices( $order, $email_optin, $sms_optin ) {
		$props = $this->identify_props( $order->get_billing_email(), $order->get_billing_phone(), $email_optin, $sms_optin );
		$order->update_meta_data( self::META_EMAIL, $email_optin ? 'yes' : 'no' );
		$order->update_meta_data( self::META_SMS, $sms_optin ? 'yes' : 'no' );
		$order->update_meta_data( self::META_VERSION, $this->consent->text_version() );
		$order->save();
		if ( null === $props ) {
			return;
		}
		$props['firstName'] = mb_substr( (string) $order->get_billing_first_name(), 0, 100 );
		$props['lastName']  = mb_substr( (string) $order->get_billing_last_name(), 0, 100 );
		$this->queue->add( 'identify', array_filter( $props, array( __CLASS__, 'filled' ) ) );
	}

	/**
	 * Drops empty strings (the worker rejects an empty name less gracefully than a missing one).
	 *
	 * @param mixed $value Value.
	 * @return bool
	 */
	public static function filled( $value ) {
		return '' !== $value;
	}
}
