<?php
/**
 * Doubles for page conditionals (the queried page), the block-theme switch and variable products.
 * Guarded: another suite may define the same WordPress functions.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

/** The page being rendered: Test_World::$options['__page'] = array( 'is' => 'product', 'object' => ... ). */
function test_page_is( $type ) {
	return ( Test_World::$options['__page']['is'] ?? 'other' ) === $type;
}
foreach ( array( 'product', 'product_category', 'order_received_page', 'checkout', 'cart', 'shop' ) as $test_page_type ) {
	if ( ! function_exists( 'is_' . $test_page_type ) ) {
		eval( 'function is_' . $test_page_type . '() { return test_page_is( "' . $test_page_type . '" ); }' );
	}
}
if ( ! function_exists( 'get_queried_object' ) ) {
	function get_queried_object() {
		return Test_World::$options['__page']['object'] ?? null;
	}
}
if ( ! function_exists( 'get_queried_object_id' ) ) {
	function get_queried_object_id() {
		$object = get_queried_object();
		return (int) ( $object->ID ?? $object->term_id ?? 0 );
	}
}
if ( ! function_exists( 'wp_is_block_theme' ) ) {
	function wp_is_block_theme() {
		return ! empty( Test_World::$options['__block_theme'] );
	}
}
if ( ! function_exists( 'sanitize_title' ) ) {
	function sanitize_title( $title ) {
		return strtolower( preg_replace( '/[^A-Za-z0-9_-]+/', '-', (string) $title ) );
	}
}

/** A catalogue product with categories, a type and (for variable products) default attributes. */
class Test_Catalogue_Product extends WC_Product {
	public $type       = 'simple';
	public $categories = array();
	public $defaults   = array();
	public function is_type( $type ) {
		return $this->type === $type;
	}
	public function get_category_ids() {
		return $this->categories;
	}
	public function get_default_attributes() {
		return $this->defaults;
	}
}

/** WC_Product_Data_Store_CPT::find_matching_product_variation over Test_World::$options['__variations']. */
class Test_Product_Data_Store {
	public function find_matching_product_variation( $product, $attributes ) {
		foreach ( Test_World::$options['__variations'][ $product->get_id() ] ?? array() as $id => $match ) {
			if ( array_intersect_assoc( $match, $attributes ) === $match ) {
				return $id;
			}
		}
		return 0;
	}
}
