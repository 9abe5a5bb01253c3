<?php
/**
 * Block checkout: consent boxes, birthday and early email capture through the Store API.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

use Automattic\WooCommerce\Blocks\Domain\Services\CheckoutFields;
use Automattic\WooCommerce\Blocks\Package;

/**
 * The block checkout (WooCommerce's default since 8.3) never runs the classic checkout's hooks. Here the same
 * boxes are registered with the Additional Checkout Fields API (WooCommerce 8.9+), read back when the Store
 * API places the order, and the email is captured when the block checkout sends it with
 * `PUT /wc/store/v1/cart/update-customer`. Without the API the owner is told on the settings page.
 */
final class Nightshift_Block_Checkout {

	const EMAIL_FIELD    = 'nightshift/email-consent';
	const SMS_FIELD      = 'nightshift/sms-consent';
	const BIRTHDAY_FIELD = 'nightshift/birthday';
	const API_FUNCTION   = 'woocommerce_register_additional_checkout_field';

	/** WooCommerce renders a native date picker for additional fields from this version on; a text field before. */
	const DATE_FIELD_SINCE = '11.2';

	/**
	 * Classic checkout (shared recording of the choices on the order).
	 *
	 * @var Nightshift_Checkout
	 */
	private $checkout;

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
	 * Whether WooCommerce has the Additional Checkout Fields API (null: ask WooCommerce).
	 *
	 * @var bool|null
	 */
	private $fields_api;

	/**
	 * Constructor.
	 *
	 * @param Nightshift_Checkout    $checkout   Classic checkout.
	 * @param Nightshift_Event_Queue $queue      Queue.
	 * @param Nightshift_Consent     $consent    Consent wording.
	 * @param bool|null              $fields_api Whether the Additional Checkout Fields API exists (null: detect).
	 */
	public function __construct( Nightshift_Checkout $checkout, Nightshift_Event_Queue $queue, Nightshift_Consent $consent, $fields_api = null ) {
		$this->checkout   = $checkout;
		$this->queue      = $queue;
		$this->consent    = $consent;
		$this->fields_api = $fields_api;
	}

	/**
	 * Whether the boxes can be shown on the block checkout.
	 *
	 * @return bool
	 */
	public function has_fields_api() {
		return null === $this->fields_api ? function_exists( self::API_FUNCTION ) : $this->fields_api;
	}

	/**
	 * Hooks into WooCommerce (storefront and Store API requests).
	 */
	public function register() {
		add_action( 'woocommerce_init', array( $this, 'register_fields' ) );
		add_action( 'woocommerce_store_api_cart_update_customer_from_request', array( $this, 'on_update_customer' ), 10, 2 );
		add_action( 'woocommerce_store_api_checkout_update_order_from_request', array( $this, 'on_update_order' ), 10, 2 );
	}

	/**
	 * Hooks the owner's warning (admin requests).
	 */
	public function register_admin() {
		add_action( 'admin_notices', array( $this, 'missing_api_notice' ) );
	}

	/**
	 * Registers the two boxes (never pre-ticked, optional) and the birthday in the order information step, so
	 * a returning customer never finds a box already ticked from a previous order.
	 */
	public function register_fields() {
		if ( ! $this->has_fields_api() ) {
			return;
		}
		$register = self::API_FUNCTION;
		foreach ( array( self::EMAIL_FIELD => $this->consent->email_label(), self::SMS_FIELD => $this->consent->sms_label() ) as $id => $label ) {
			$register(
				array(
					'id'            => $id,
					'label'         => $label,
					'optionalLabel' => $label,
					'location'      => 'order',
					'type'          => 'checkbox',
				)
			);
		}
		$register( $this->birthday_field() );
	}

	/**
	 * The birthday field: a date picker where WooCommerce has one, else a text field taking YYYY-MM-DD.
	 *
	 * @return array
	 */
	private function birthday_field() {
		$date  = defined( 'WC_VERSION' ) && version_compare( WC_VERSION, self::DATE_FIELD_SINCE, '>=' );
		$label = $date ? __( 'Birthday', 'nightshift-bridge' ) : __( 'Birthday (YYYY-MM-DD)', 'nightshift-bridge' );
		$field = array(
			'id'                => self::BIRTHDAY_FIELD,
			'label'             => $label,
			'optionalLabel'     => $label,
			'location'          => 'order',
			'type'              => $date ? 'date' : 'text',
			'sanitize_callback' => array( $this, 'sanitize_birthday' ),
			'validate_callback' => array( $this, 'validate_birthday' ),
		);
		if ( ! $date ) {
			$field['attributes'] = array(
				'pattern'      => '\d{4}-\d{2}-\d{2}',
				'autocomplete' => 'bday',
			);
		}
		return $field;
	}

	/**
	 * Trims the posted birthday (WooCommerce passes more arguments than PHP's trim() accepts).
	 *
	 * @param mixed $value Posted value.
	 * @return string
	 */
	public function sanitize_birthday( $value ) {
		return trim( (string) $value );
	}

	/**
	 * Same rule as My Account: empty or a real past date.
	 *
	 * @param string $value Posted value.
	 * @return WP_Error|null
	 */
	public function validate_birthday( $value ) {
		if ( null === Nightshift_Account::sanitize_birthday( $value, time() ) ) {
			return new WP_Error( 'nightshift_birthday', __( 'Please enter a valid birthday.', 'nightshift-bridge' ) );
		}
		return null;
	}

	/**
	 * Early email capture: the block checkout sends the email with `cart/update-customer` as soon as it is
	 * typed. Only a claim (identify without consent: the boxes are not ticked yet) and the cart, once per
	 * address. Queued, so the shopper's request is not slowed.
	 *
	 * @param WC_Customer     $customer Customer, already updated from the request.
	 * @param WP_REST_Request $request  Request.
	 */
	public function on_update_customer( $customer, $request ) {
		$changes = $customer->get_changes();
		if ( ! isset( $changes['billing']['email'] ) ) {
			return;
		}
		$props = $this->checkout->identify_props( $customer->get_billing_email(), $customer->get_billing_phone(), false, false );
		if ( null === $props ) {
			return;
		}
		unset( $props['consent'] ); // Nothing was ticked yet: no consent is claimed, none is withdrawn.
		$this->queue->add( 'identify', $props );
		$cart = function_exists( 'WC' ) ? WC()->cart : null;
		if ( $cart && ! $cart->is_empty() ) {
			$this->queue->add( 'checkout_started', array( 'cart' => Nightshift_Cart_Events::snapshot( $cart ) ) );
		}
	}

	/**
	 * The order placed through the Store API: the boxes (read with WooCommerce's documented getter) go the way
	 * of the classic checkout's (same order meta, same identify); a birthday follows in its own identify.
	 *
	 * @param WC_Order        $order   Order.
	 * @param WP_REST_Request $request Request.
	 */
	public function on_update_order( $order, $request ) {
		if ( ! $this->has_fields_api() || ! class_exists( Package::class ) ) {
			return;
		}
		$fields      = Package::container()->get( CheckoutFields::class );
		$email_optin = (bool) $fields->get_field_from_object( self::EMAIL_FIELD, $order, 'other' );
		$sms_optin   = (bool) $fields->get_field_from_object( self::SMS_FIELD, $order, 'other' );
		$this->checkout->record_order_choices( $order, $email_optin, $sms_optin );
		$birthday = Nightshift_Account::sanitize_birthday( (string) $fields->get_field_from_object( self::BIRTHDAY_FIELD, $order, 'other' ), time() );
		$email    = sanitize_email( (string) $order->get_billing_email() );
		if ( ! $birthday || ! is_email( $email ) ) {
			return;
		}
		// The shape of the account page's birthday identify, from the checkout.
		$this->queue->add(
			'identify',
			array(
				'email'    => $email,
				'birthday' => $birthday,
				'source'   => 'checkout',
			)
		);
		if ( $order->get_customer_id() > 0 ) {
			update_user_meta( $order->get_customer_id(), Nightshift_Account::META, $birthday );
		}
	}

	/**
	 * On the plugin's settings page: the block checkout cannot get the boxes without the API.
	 */
	public function missing_api_notice() {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- display only.
		$page = isset( $_GET['page'] ) ? sanitize_key( wp_unslash( $_GET['page'] ) ) : '';
		if ( Nightshift_Admin::PAGE !== $page || $this->has_fields_api() || ! current_user_can( Nightshift_Admin::CAPABILITY ) ) {
			return;
		}
		echo '<div class="notice notice-warning"><p>' . esc_html__( 'Your WooCommerce version has no Additional Checkout Fields API (WooCommerce 8.9 or later). On the block checkout, Nightshift cannot show its email and SMS consent boxes or the birthday field. Update WooCommerce, or use the classic checkout (the [woocommerce_checkout] shortcode) on your checkout page.', 'nightshift-bridge' ) . '</p></div>';
	}
}
