<?php
/**
 * ?nightshift_cart=<token> rebuilds the cart from the worker's signed snapshot.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

final class CartRestoreTest extends Nightshift_Test_Case {

	private Nightshift_Cart_Restore $restore;

	protected function setUp(): void {
		parent::setUp();
		$this->restore            = new Nightshift_Cart_Restore( $this->connected_settings(), new Nightshift_Visitor() );
		Test_World::$products[10] = new WC_Product( 10, 'Beans', '9' );
		Test_World::$products[21] = new WC_Product( 21, 'Grinder - Red', '40' );
		Test_World::$products[99] = new WC_Product( 99, 'Something already in the cart', '1' );
		Test_World::$cart->add_to_cart( 99, 1 );
	}

	/** Signs like worker/lib/cart-token.ts (checked against it by SigningVectorsTest). */
	private function token( array $items, int $expires, string $store = 'demo-shop' ): string {
		$body = Nightshift_Signer::base64url_encode( json_encode( array( 's' => $store, 'v' => 'v_fromtheemail', 'i' => $items, 'e' => $expires ) ) );
		return $body . '.' . Nightshift_Signer::base64url_encode( hash_hmac( 'sha256', $body, self::SECRET, true ) );
	}

	private function cart_lines(): array {
		return array_map(
			static function ( $line ) {
				return array( $line['product_id'], $line['variation_id'], $line['quantity'] );
			},
			array_values( Test_World::$cart->get_cart() )
		);
	}

	public function test_a_valid_token_replaces_the_cart_and_goes_to_checkout(): void {
		$url = $this->restore->restore( $this->token( array( array( 10, 0, 2 ), array( 20, 21, 1 ) ), time() + 3600 ) );

		$this->assertSame( 'https://shop.example.com/checkout/', $url );
		$this->assertSame( array( array( 10, 0, 2 ), array( 20, 21, 1 ) ), $this->cart_lines() );
		$this->assertSame( array( 'attribute_pa_size' => 'large' ), array_values( Test_World::$cart->get_cart() )[1]['variation'] );
		$this->assertSame( array(), Test_World::$notices );
	}

	public function test_expired_forged_or_foreign_tokens_leave_the_cart_alone(): void {
		$tokens = array(
			$this->token( array( array( 10, 0, 2 ) ), time() - 1 ),
			$this->token( array( array( 10, 0, 2 ) ), time() + 3600, 'other-shop' ),
			str_replace( '.', '.x', $this->token( array( array( 10, 0, 2 ) ), time() + 3600 ) ),
			'garbage',
		);
		foreach ( $tokens as $token ) {
			$this->assertSame( 'https://shop.example.com/cart/', $this->restore->restore( $token ) );
			$this->assertSame( array( array( 99, 0, 1 ) ), $this->cart_lines() );
		}
		$this->assertSame( 'error', Test_World::$notices[0][0] );
	}

	public function test_unavailable_products_are_skipped_with_a_notice(): void {
		Test_World::$cart->unavailable = array( 21 );
		$url = $this->restore->restore( $this->token( array( array( 10, 0, 2 ), array( 20, 21, 1 ) ), time() + 3600 ) );
		$this->assertSame( 'https://shop.example.com/checkout/', $url );
		$this->assertSame( array( array( 10, 0, 2 ) ), $this->cart_lines() );
		$this->assertSame( 'notice', Test_World::$notices[0][0] );

		Test_World::$cart->unavailable = array( 10, 21 );
		$this->assertSame( 'https://shop.example.com/cart/', $this->restore->restore( $this->token( array( array( 10, 0, 2 ), array( 20, 21, 1 ) ), time() + 3600 ) ) );
	}
}
