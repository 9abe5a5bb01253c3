<?php
/**
 * Birthday on the My Account page.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Lets customers give their birthday on the account details form, stores it as user meta and
 * sends it to Nightshift as a signed identify event (birthday emails).
 */
final class Nightshift_Account {

	const FIELD = 'nightshift_birthday';
	const META  = 'nightshift_birthday';

	/**
	 * Queue.
	 *
	 * @var Nightshift_Event_Queue
	 */
	private $queue;

	/**
	 * Constructor.
	 *
	 * @param Nightshift_Event_Queue $queue Queue.
	 */
	public function __construct( Nightshift_Event_Queue $queue ) {
		$this->queue = $queue;
	}

	/**
	 * Hooks into the account details form.
	 */
	public function register() {
		add_action( 'woocommerce_edit_account_form', array( $this, 'render_field' ) );
		add_action( 'woocommerce_save_account_details_errors', array( $this, 'validate' ), 10, 1 );
		add_action( 'woocommerce_save_account_details', array( $this, 'save' ), 10, 1 );
	}

	/**
	 * Normalizes a birthday: '' when cleared, 'YYYY-MM-DD' when a real past date, null otherwise.
	 *
	 * @param string $value Input.
	 * @param int    $now   Unix seconds (today).
	 * @return string|null
	 */
	public static function sanitize_birthday( $value, $now ) {
		$value = trim( (string) $value );
		if ( '' === $value ) {
			return '';
		}
		if ( ! preg_match( '/^(\d{4})-(\d{2})-(\d{2})$/', $value, $m ) || ! checkdate( (int) $m[2], (int) $m[3], (int) $m[1] ) ) {
			return null;
		}
		if ( (int) $m[1] < 1900 || $value >= gmdate( 'Y-m-d', (int) $now ) ) {
			return null;
		}
		return $value;
	}

	/**
	 * Prints the field.
	 */
	public function render_field() {
		$value = (string) get_user_meta( get_current_user_id(), self::META, true );
		woocommerce_form_field(
			self::FIELD,
			array(
				'type'              => 'date',
				'class'             => array( 'woocommerce-form-row--wide' ),
				'label'             => __( 'Birthday', 'nightshift-bridge' ),
				'description'       => __( 'Optional. Lets us wish you a happy birthday.', 'nightshift-bridge' ),
				'custom_attributes' => array( 'max' => gmdate( 'Y-m-d' ) ),
			),
			$value
		);
	}

	/**
	 * Rejects an impossible date before WooCommerce saves anything.
	 *
	 * @param WP_Error $errors Errors collected by WooCommerce.
	 */
	public function validate( $errors ) {
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- WC_Form_Handler verified the save-account-details nonce.
		$raw = isset( $_POST[ self::FIELD ] ) ? sanitize_text_field( wp_unslash( $_POST[ self::FIELD ] ) ) : '';
		if ( null === self::sanitize_birthday( $raw, time() ) ) {
			$errors->add( 'nightshift_birthday', __( 'Please enter a valid birthday.', 'nightshift-bridge' ) );
		}
	}

	/**
	 * Saves the birthday and tells Nightshift when it changed.
	 *
	 * @param int $user_id User id.
	 */
	public function save( $user_id ) {
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- WC_Form_Handler verified the save-account-details nonce.
		$raw      = isset( $_POST[ self::FIELD ] ) ? sanitize_text_field( wp_unslash( $_POST[ self::FIELD ] ) ) : '';
		$birthday = self::sanitize_birthday( $raw, time() );
		$previous = (string) get_user_meta( $user_id, self::META, true );
		if ( null === $birthday || $birthday === $previous ) {
			return;
		}
		if ( '' === $birthday ) {
			delete_user_meta( $user_id, self::META );
			return;
		}
		update_user_meta( $user_id, self::META, $birthday );
		$user = get_userdata( $user_id );
		if ( $user && is_email( $user->user_email ) ) {
			$this->queue->add(
				'identify',
				array(
					'email'    => $user->user_email,
					'birthday' => $birthday,
					'source'   => 'account',
				)
			);
		}
	}
}
