<?php
/**
 * Birthday on the account page; lifespan on the product editor.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

final class AccountTest extends Nightshift_Test_Case {

	const NOW = 1764000000; // 2025-11-24.

	public function test_birthday_sanitizing(): void {
		$this->assertSame( '', Nightshift_Account::sanitize_birthday( ' ', self::NOW ) );
		$this->assertSame( '1990-02-28', Nightshift_Account::sanitize_birthday( '1990-02-28', self::NOW ) );
		$this->assertSame( '2000-02-29', Nightshift_Account::sanitize_birthday( '2000-02-29', self::NOW ) );
		foreach ( array( '1990-02-30', '1990-13-01', '28/02/1990', '1899-12-31', '2025-11-24', '2030-01-01', '1990-2-3' ) as $bad ) {
			$this->assertNull( Nightshift_Account::sanitize_birthday( $bad, self::NOW ), $bad );
		}
	}

	public function test_saving_a_birthday_stores_it_and_queues_a_signed_identify(): void {
		$queue                 = new Nightshift_Event_Queue( new Nightshift_Client( $this->connected_settings() ), new Nightshift_Visitor() );
		$account               = new Nightshift_Account( $queue );
		Test_World::$users[5]  = (object) array( 'user_email' => 'ana@example.com' );
		$_POST['nightshift_birthday'] = '1988-07-14';

		$account->save( 5 );
		$account->save( 5 );

		$this->assertSame( '1988-07-14', get_user_meta( 5, 'nightshift_birthday', true ) );
		$this->assertCount( 1, $queue->pending(), 'an unchanged birthday is not sent again' );
		$event = $queue->pending()[0];
		$this->assertSame( array( 'identify', 'ana@example.com', '1988-07-14', 'account' ), array( $event['type'], $event['email'], $event['birthday'], $event['source'] ) );

		$_POST['nightshift_birthday'] = '';
		$account->save( 5 );
		$this->assertSame( '', get_user_meta( 5, 'nightshift_birthday', true ) );
	}

	public function test_an_invalid_birthday_is_reported_and_not_saved(): void {
		$queue   = new Nightshift_Event_Queue( new Nightshift_Client( $this->connected_settings() ), new Nightshift_Visitor() );
		$account = new Nightshift_Account( $queue );
		$_POST['nightshift_birthday'] = '1988-02-31';
		$errors  = new WP_Error();

		$account->validate( $errors );
		$account->save( 5 );

		$this->assertArrayHasKey( 'nightshift_birthday', $errors->errors );
		$this->assertSame( '', get_user_meta( 5, 'nightshift_birthday', true ) );
		$this->assertSame( array(), $queue->pending() );
	}

	public function test_lifespan_days_are_whole_days_in_range(): void {
		$this->assertSame( 30, Nightshift_Product_Fields::sanitize_days( ' 30 ' ) );
		$this->assertSame( 3650, Nightshift_Product_Fields::sanitize_days( '3650' ) );
		foreach ( array( '', '0', '-3', '2.5', '3651', 'abc' ) as $bad ) {
			$this->assertNull( Nightshift_Product_Fields::sanitize_days( $bad ), $bad );
		}
	}

	public function test_lifespan_is_saved_as_public_meta_or_removed(): void {
		$fields  = new Nightshift_Product_Fields();
		$product = new WC_Product( 3, 'Coffee', '9' );

		$_POST['nightshift_lifespan_days'] = '30';
		$fields->save( $product );
		$this->assertSame( array( 'nightshift_lifespan_days' => '30' ), $product->meta, 'no leading underscore: the product webhook carries it' );

		$_POST['nightshift_lifespan_days'] = '';
		$fields->save( $product );
		$this->assertSame( array(), $product->meta );
	}
}
