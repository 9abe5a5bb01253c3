<?php
/**
 * Email marketing choice on the My Account page.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * The one place the plugin can withdraw consent: a logged-in customer who had given email
 * marketing consent (at checkout or here) and unticks it on the account details form. Ticking it
 * grants; saving the form with nothing changed sends nothing, and a box that was never ticked is
 * never sent as a refusal.
 */
final class Nightshift_Account_Consent {

	const FIELD = 'nightshift_email_marketing';
	/** User meta: 'yes' while the customer's last act was a grant, 'no' after an opt-out here. */
	const META = 'nightshift_email_marketing';

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
	 * Hooks into the account details form and remembers a grant given at checkout.
	 */
	public function register() {
		add_action( 'woocommerce_edit_account_form', array( $this, 'render_field' ) );
		add_action( 'woocommerce_save_account_details', array( $this, 'save' ), 10, 1 );
		add_action( 'woocommerce_checkout_order_processed', array( $this, 'remember_checkout_grant' ), 20, 0 );
	}

	/**
	 * Prints the checkbox, ticked only when the customer's last act was a grant.
	 */
	public function render_field() {
		woocommerce_form_field(
			self::FIELD,
			array(
				'type'  => 'checkbox',
				'class' => array( 'woocommerce-form-row--wide' ),
				'label' => $this->consent->email_label(),
			),
			'yes' === get_user_meta( get_current_user_id(), self::META, true )
		);
	}

	/**
	 * A logged-in customer who ticked the email box at checkout has granted: the account box shows it.
	 */
	public function remember_checkout_grant() {
		$user_id = get_current_user_id();
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- WC_Checkout verified its nonce before this hook.
		if ( $user_id > 0 && ! empty( $_POST[ Nightshift_Checkout::EMAIL_FIELD ] ) ) {
			update_user_meta( $user_id, self::META, 'yes' );
		}
	}

	/**
	 * Sends a grant when the box was newly ticked and a withdrawal when a given consent was unticked.
	 *
	 * @param int $user_id User id.
	 */
	public function save( $user_id ) {
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- WC_Form_Handler verified the save-account-details nonce.
		$ticked = ! empty( $_POST[ self::FIELD ] );
		$given  = 'yes' === get_user_meta( $user_id, self::META, true );
		if ( $ticked === $given ) {
			return;
		}
		$user = get_userdata( $user_id );
		if ( ! $user || ! is_email( $user->user_email ) ) {
			return;
		}
		update_user_meta( $user_id, self::META, $ticked ? 'yes' : 'no' );
		$consent = $ticked
			? $this->consent->flags( true, false )
			: $this->consent->withdrawals( true, false ) + array( 'textVersion' => $this->consent->remember_text_version() );
		$this->queue->add(
			'identify',
			array(
				'email'   => $user->user_email,
				'consent' => $consent,
				'source'  => 'account',
			)
		);
	}
}
