<?php
/**
 * The page context the tracker reads (product, category, cart, page type), on block and classic themes.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

final class PageContextTest extends Nightshift_Test_Case {

	/** Exact configs the plugin prints; e2e/theme-pages.mjs serves the same bytes on its block-theme pages. */
	const FIXTURES = __DIR__ . '/fixtures/page-context/';

	protected function setUp(): void {
		parent::setUp();
		$this->connected_settings();
		$soap             = new Test_Catalogue_Product( 12, 'Savon artisanal <em>lavande</em>', '8.90', 0 );
		$soap->type       = 'variable';
		$soap->categories = array( '15', 16 );
		$soap->defaults   = array( 'pa_parfum' => 'lavande' );
		Test_World::$products[12] = $soap;
		Test_World::$products[31] = new WC_Product( 31, 'Savon artisanal lavande - Lavande', '8.90', 0 );
		Test_World::$products[32] = new WC_Product( 32, 'Savon artisanal lavande - Rose', '9.50', 0 );
		Test_World::$options['__variations'][12] = array(
			31 => array( 'attribute_pa_parfum' => 'lavande' ),
			32 => array( 'attribute_pa_parfum' => 'rose' ),
		);
	}

	private function visit( string $is, $object = null ): void {
		Test_World::$options['__page'] = array( 'is' => $is, 'object' => $object );
	}

	/** What a storefront request prints: the plugin boots, then the theme runs its hooks. */
	private function render( array $theme_hooks ): array {
		Nightshift_Plugin::bootstrap();
		foreach ( $theme_hooks as $hook ) {
			do_action( $hook );
		}
		$inline = Test_World::$inline_scripts['nightshift-tracker'] ?? array();
		$this->assertCount( 1, $inline );
		$this->assertSame( 1, preg_match( '/^before:window\.nightshiftConfig = (.*);$/s', $inline[0], $m ) );
		return array( $m[1], json_decode( $m[1], true ) );
	}

	/** Hooks every theme runs; a block theme runs no classic template hook. */
	const BLOCK_THEME = array( 'wp_enqueue_scripts', 'wp_head', 'wp_footer' );
	const CLASSIC     = array( 'woocommerce_before_main_content', 'woocommerce_before_single_product', 'wp_enqueue_scripts', 'wp_head', 'woocommerce_single_product_summary', 'woocommerce_after_single_product', 'wp_footer' );

	public function test_a_block_theme_product_page_carries_the_product_and_its_categories(): void {
		Test_World::$options['__block_theme'] = true;
		Test_World::$cart->add_to_cart( 12, 2, 31 );
		$this->visit( 'product', (object) array( 'ID' => 12 ) );

		list( $json, $config ) = $this->render( self::BLOCK_THEME );

		$this->assertSame(
			array( 'productId' => 12, 'variationId' => 31, 'name' => 'Savon artisanal lavande', 'price' => 8.9, 'categoryIds' => array( 15, 16 ) ),
			$config['page']['product']
		);
		$this->assertSame( 'product', $config['page']['type'] );
		$this->assertArrayNotHasKey( 'cart', $config['page'], 'a cacheable page never carries a shopper\'s cart' );
		$this->assertSame( 'pk_demo', $config['siteKey'] );
		$this->assertSame( file_get_contents( self::FIXTURES . 'product.json' ), $json );
	}

	public function test_a_classic_theme_prints_the_same_context(): void {
		Test_World::$cart->add_to_cart( 12, 2, 31 );
		$this->visit( 'product', (object) array( 'ID' => 12 ) );
		list( $json ) = $this->render( self::CLASSIC );
		$this->assertSame( file_get_contents( self::FIXTURES . 'product.json' ), $json );
	}

	public function test_a_category_page_carries_the_category_and_no_empty_cart(): void {
		Test_World::$options['__block_theme'] = true;
		$this->visit( 'product_category', (object) array( 'term_id' => 15, 'name' => 'Savons & bains' ) );

		list( $json, $config ) = $this->render( self::BLOCK_THEME );

		$this->assertSame( array( 'type' => 'category', 'category' => array( 'categoryId' => 15, 'name' => 'Savons & bains' ) ), $config['page'] );
		$this->assertStringNotContainsString( '&', $json, 'JSON_HEX_AMP: the inline script stays inert' );
		$this->assertSame( file_get_contents( self::FIXTURES . 'category.json' ), $json );
	}

	public function test_a_variation_link_selects_its_variation_and_price(): void {
		$_GET = array( 'attribute_pa_parfum' => 'rose' );
		$this->visit( 'product', (object) array( 'ID' => 12 ) );
		$page = ( new Nightshift_Page_Context() )->context();
		$this->assertSame( 32, $page['product']['variationId'] );
		$this->assertSame( 9.5, $page['product']['price'] );
	}

	public function test_a_simple_product_without_categories_has_only_its_own_fields(): void {
		Test_World::$products[40] = new Test_Catalogue_Product( 40, 'Carte cadeau', '', 0 );
		$this->visit( 'product', (object) array( 'ID' => 40 ) );
		$this->assertSame( array( 'type' => 'product', 'product' => array( 'productId' => 40, 'name' => 'Carte cadeau' ) ), ( new Nightshift_Page_Context() )->context() );
	}

	public function test_the_checkout_and_cart_pages_carry_the_cart(): void {
		Test_World::$options['__block_theme'] = true;
		Test_World::$cart->add_to_cart( 12, 2, 31 );
		foreach ( array( 'checkout', 'cart' ) as $is ) {
			$this->visit( $is );
			$page = ( new Nightshift_Page_Context() )->context();
			$this->assertSame( $is, $page['type'] );
			$this->assertSame( Nightshift_Cart_Events::snapshot( Test_World::$cart ), $page['cart'] );
			$this->assertSame( 17.8, $page['cart']['value'] );
		}
		$this->visit( 'order_received_page' );
		$this->assertArrayNotHasKey( 'cart', ( new Nightshift_Page_Context() )->context() );
	}

	public function test_page_types_for_checkout_order_received_cart_and_others(): void {
		$context = new Nightshift_Page_Context();
		foreach ( array( 'checkout' => 'checkout', 'order_received_page' => 'order_received', 'cart' => 'cart', 'shop' => 'shop', 'other' => 'other' ) as $is => $type ) {
			$this->visit( $is );
			$this->assertSame( $type, $context->context()['type'], $is );
		}
	}
}
