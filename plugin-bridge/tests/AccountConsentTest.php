<?php
/**
 * Email marketing choice on My Account: the only withdrawal the plugin sends.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

require_once dirname( __DIR__ ) . '/includes/class-nightshift-account-consent.php';

final class AccountConsentTest extends Nightshift_Test_Case {

	private Nightshift_Event_Queue $queue;
	private Nightshift_Account_Consent $account;

	protected function setUp(): void {
		parent::setUp();
		$this->queue              = new Nightshift_Event_Queue( new Nightshift_Client( $this->connected_settings() ), new Nightshift_Visitor() );
		$this->account            = new Nightshift_Account_Consent( $this->queue, new Nightshift_Consent() );
		Test_World::$users[7]     = (object) array( 'user_email' => 'camille.martin@example.fr' );
		Test_World::$current_user = 7;
	}

	public function test_saving_the_form_with_the_box_never_ticked_sends_nothing(): void {
		$_POST = array();
		$this->account->save( 7 );
		$this->assertSame( array(), $this->queue->pending(), 'an unticked box is not a refusal' );
	}

	public function test_a_checkout_grant_shows_ticked_and_unticking_it_is_an_explicit_withdrawal_sent_once(): void {
		$_POST = array( 'nightshift_email_consent' => '1' );
		$this->account->remember_checkout_grant();
		$this->account->render_field();
		$this->assertTrue( Test_World::$options['__fields']['nightshift_email_marketing']['value'], 'the account box shows the grant' );

		$_POST = array( 'nightshift_email_marketing' => '1' );
		$this->account->save( 7 );
		$this->assertSame( array(), $this->queue->pending(), 'nothing changed, nothing sent' );

		$_POST = array();
		$this->account->save( 7 );
		$this->account->save( 7 );
		$this->assertCount( 1, $this->queue->pending() );
		$event = $this->queue->pending()[0];
		$this->assertSame( array( 'identify', 'camille.martin@example.fr', 'account' ), array( $event['type'], $event['email'], $event['source'] ) );
		$this->assertSame( 'withdrawn', $event['consent']['emailMarketing'] );
		$this->assertArrayNotHasKey( 'smsMarketing', $event['consent'], 'SMS is withdrawn by STOP, not here' );
		$this->assertSame( ( new Nightshift_Consent() )->text_version(), $event['consent']['textVersion'] );
	}

	public function test_ticking_the_box_in_my_account_is_a_grant(): void {
		$_POST = array( 'nightshift_email_marketing' => '1' );
		$this->account->save( 7 );
		$event = $this->queue->pending()[0];
		$this->assertTrue( $event['consent']['emailMarketing'] );
		$this->assertSame( 'yes', get_user_meta( 7, 'nightshift_email_marketing', true ) );
	}
}
