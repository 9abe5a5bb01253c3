<?php
/**
 * The shared vectors (fixtures/signing-vectors.json) were computed by the worker's code; the
 * worker's vitest suite checks the same file, so both sides agree byte for byte.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

final class SigningVectorsTest extends Nightshift_Test_Case {

	private static function vectors(): array {
		return json_decode( file_get_contents( __DIR__ . '/fixtures/signing-vectors.json' ), true, 512, JSON_THROW_ON_ERROR );
	}

	public function test_the_client_encodes_the_batch_to_the_exact_body_bytes(): void {
		$v = self::vectors()['signature'];
		$this->assertSame( $v['body'], Nightshift_Client::encode( $v['batch'] ) );
	}

	public function test_signature_header_matches_the_worker(): void {
		$v      = self::vectors();
		$signer = new Nightshift_Signer( $v['secret'] );
		$this->assertSame( $v['signature']['header'], $signer->signature_header( $v['signature']['body'], $v['signature']['timestamp'] ) );
	}

	public function test_a_changed_byte_changes_the_signature(): void {
		$v      = self::vectors();
		$signer = new Nightshift_Signer( $v['secret'] );
		$body   = str_replace( 'Crème', 'Creme', $v['signature']['body'] );
		$this->assertNotSame( $v['signature']['header'], $signer->signature_header( $body, $v['signature']['timestamp'] ) );
	}

	public function test_identity_token_matches_the_worker(): void {
		$v      = self::vectors();
		$signer = new Nightshift_Signer( $v['secret'] );
		$t      = $v['identityToken'];
		$this->assertSame( $t['token'], $signer->identity_token( $t['wooCustomerId'], $t['expiresAt'] ) );
	}

	public function test_cart_token_signed_by_the_worker_verifies(): void {
		$v      = self::vectors();
		$signer = new Nightshift_Signer( $v['secret'] );
		$c      = $v['cartToken'];
		$this->assertSame(
			array(
				'visitor_id' => $c['visitorId'],
				'items'      => $c['items'],
				'expires_at' => $c['expiresAt'],
			),
			$signer->verify_cart_token( $c['token'], $c['storeId'], $c['expiresAt'] - 1 )
		);
	}

	public function test_cart_token_is_refused_when_expired_forged_or_for_another_store(): void {
		$v      = self::vectors();
		$c      = $v['cartToken'];
		$signer = new Nightshift_Signer( $v['secret'] );
		$this->assertNull( $signer->verify_cart_token( $c['token'], $c['storeId'], $c['expiresAt'] ) );
		$this->assertNull( $signer->verify_cart_token( $c['token'], 'another-shop', $c['expiresAt'] - 1 ) );
		$this->assertNull( ( new Nightshift_Signer( 'another secret' ) )->verify_cart_token( $c['token'], $c['storeId'], $c['expiresAt'] - 1 ) );
		$this->assertNull( ( new Nightshift_Signer( '' ) )->verify_cart_token( $c['token'], $c['storeId'], $c['expiresAt'] - 1 ) );
		list( $body, $mac ) = explode( '.', $c['token'] );
		$this->assertNull( $signer->verify_cart_token( $body . 'A.' . $mac, $c['storeId'], $c['expiresAt'] - 1 ) );
		$this->assertNull( $signer->verify_cart_token( $body, $c['storeId'], $c['expiresAt'] - 1 ) );
		$this->assertNull( $signer->verify_cart_token( $c['token'] . '.x', $c['storeId'], $c['expiresAt'] - 1 ) );
	}

	public function test_well_signed_cart_tokens_of_the_wrong_shape_are_refused(): void {
		$signer = new Nightshift_Signer( self::SECRET );
		$sign   = static function ( string $json ): string {
			$body = Nightshift_Signer::base64url_encode( $json );
			return $body . '.' . Nightshift_Signer::base64url_encode( hash_hmac( 'sha256', $body, self::SECRET, true ) );
		};
		$good = $sign( '{"s":"demo-shop","v":"v_12345678","i":[[5,0,1]],"e":2000}' );
		$this->assertNotNull( $signer->verify_cart_token( $good, 'demo-shop', 1000 ) );
		foreach ( array(
			'{"s":"demo-shop","v":"v_12345678","i":[[0,0,1]],"e":2000}',
			'{"s":"demo-shop","v":"v_12345678","i":[[5,0,0]],"e":2000}',
			'{"s":"demo-shop","v":"v_12345678","i":[[5,0]],"e":2000}',
			'{"s":"demo-shop","v":"v_12345678","i":[["5",0,1]],"e":2000}',
			'{"s":"demo-shop","v":"v_12345678","i":[[5,0,1]],"e":"2000"}',
			'{"s":"demo-shop","i":[[5,0,1]],"e":2000}',
			'not json',
		) as $json ) {
			$this->assertNull( $signer->verify_cart_token( $sign( $json ), 'demo-shop', 1000 ), $json );
		}
	}
}
