<?php
/**
 * Marketing consent wording and its version.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Owns the consent labels shown to shoppers and a version that pins their exact wording, so
 * each recorded consent can be traced back to the text the shopper actually saw.
 */
final class Nightshift_Consent {

	/**
	 * Label of the email checkbox (filterable).
	 *
	 * @return string
	 */
	public function email_label() {
		return (string) apply_filters( 'nightshift_bridge_email_consent_label', __( 'Email me news, offers and reminders about my cart. I can unsubscribe at any time.', 'nightshift-bridge' ) );
	}

	/**
	 * Label of the SMS checkbox (filterable).
	 *
	 * @return string
	 */
	public function sms_label() {
		return (string) apply_filters( 'nightshift_bridge_sms_consent_label', __( 'Text me offers and reminders by SMS. Reply STOP to opt out.', 'nightshift-bridge' ) );
	}

	/**
	 * Version of the wording: a hash over the locale and both labels, so any edit or translation
	 * yields a new version.
	 *
	 * @return string
	 */
	public function text_version() {
		return 'nsb1-' . substr( hash( 'sha256', determine_locale() . "\n" . $this->email_label() . "\n" . $this->sms_label() ), 0, 16 );
	}

	/**
	 * Keeps the wording behind each version, so a version in the consent ledger can be resolved
	 * to its exact text later.
	 *
	 * @return string The current version.
	 */
	public function remember_text_version() {
		$version = $this->text_version();
		$texts   = get_option( Nightshift_Settings::CONSENT_TEXTS, array() );
		$texts   = is_array( $texts ) ? $texts : array();
		if ( ! isset( $texts[ $version ] ) ) {
			$texts[ $version ] = array(
				'locale'     => determine_locale(),
				'email'      => $this->email_label(),
				'sms'        => $this->sms_label(),
				'first_seen' => gmdate( 'c' ),
			);
			update_option( Nightshift_Settings::CONSENT_TEXTS, $texts, false );
		}
		return $version;
	}

	/**
	 * The contract's consent object for the choices made. Only an act is sent: a ticked box is a
	 * grant (`true`); a box left unticked says nothing (it is never pre-ticked, so leaving it alone
	 * is not a refusal and must not withdraw a consent given earlier). Empty when nothing was ticked.
	 *
	 * @param bool $email Email marketing box ticked.
	 * @param bool $sms   SMS marketing box ticked.
	 * @return array{emailMarketing?: true, smsMarketing?: true, textVersion?: string}
	 */
	public function flags( $email, $sms ) {
		$flags = array();
		if ( $email ) {
			$flags['emailMarketing'] = true;
		}
		if ( $sms ) {
			$flags['smsMarketing'] = true;
		}
		if ( array() === $flags ) {
			return array();
		}
		$flags['textVersion'] = $this->remember_text_version();
		return $flags;
	}

	/**
	 * An explicit opt-out (a person unticking a consent they had given, in My Account): the only
	 * way the plugin withdraws. The worker honours `"withdrawn"` from signed requests only.
	 *
	 * @param bool $email Email marketing withdrawn.
	 * @param bool $sms   SMS marketing withdrawn.
	 * @return array{emailMarketing?: string, smsMarketing?: string}
	 */
	public function withdrawals( $email, $sms ) {
		$flags = array();
		if ( $email ) {
			$flags['emailMarketing'] = 'withdrawn';
		}
		if ( $sms ) {
			$flags['smsMarketing'] = 'withdrawn';
		}
		return $flags;
	}
}
