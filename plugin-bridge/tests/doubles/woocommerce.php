<?php
/**
 * Minimal WooCommerce doubles.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

class WC_Product {
	public $id;
	public $name;
	public $price;
	public $image_id;
	public $meta = array();
	public function __construct( $id = 0, $name = '', $price = '0', $image_id = 0 ) {
		$this->id       = $id;
		$this->name     = $name;
		$this->price    = $price;
		$this->image_id = $image_id;
	}
	public function get_id() {
		return $this->id;
	}
	public function get_name() {
		return $this->name;
	}
	public function get_price() {
		return $this->price;
	}
	public function get_image_id() {
		return $this->image_id;
	}
	public function get_permalink() {
		return 'https://shop.example.com/?p=' . $this->id;
	}
	public function update_meta_data( $key, $value ) {
		$this->meta[ $key ] = $value;
	}
	public function delete_meta_data( $key ) {
		unset( $this->meta[ $key ] );
	}
}

class WC_Cart {
	public $cart_contents         = array();
	public $removed_cart_contents = array();
	/** @var array<int,int> Products add_to_cart refuses (out of stock). */
	public $unavailable = array();
	public function get_cart() {
		return $this->cart_contents;
	}
	public function is_empty() {
		return array() === $this->cart_contents;
	}
	public function empty_cart() {
		$this->cart_contents = array();
	}
	public function add_to_cart( $product_id, $quantity = 1, $variation_id = 0, $variation = array() ) {
		$id = $variation_id ? $variation_id : $product_id;
		if ( in_array( $id, $this->unavailable, true ) || ! isset( Test_World::$products[ $id ] ) ) {
			return false;
		}
		$key                         = md5( $product_id . ':' . $variation_id );
		$this->cart_contents[ $key ] = array(
			'key'          => $key,
			'product_id'   => $product_id,
			'variation_id' => $variation_id,
			'variation'    => $variation,
			'quantity'     => $quantity,
			'data'         => Test_World::$products[ $id ],
		);
		return $key;
	}
}

class WooCommerce {
	public $cart;
}

function WC() {
	$wc       = new WooCommerce();
	$wc->cart = Test_World::$cart;
	return $wc;
}

function wc_get_product( $id ) {
	return Test_World::$products[ $id ] ?? false;
}
function wc_get_price_decimals() {
	return 2;
}
function get_woocommerce_currency() {
	return 'EUR';
}
function wc_sanitize_phone_number( $phone ) {
	return preg_replace( '/[^\d+\-() .]/', '', $phone );
}
function wc_add_notice( $message, $type = 'success' ) {
	Test_World::$notices[] = array( $type, $message );
}
function wc_get_cart_url() {
	return 'https://shop.example.com/cart/';
}
function wc_get_checkout_url() {
	return 'https://shop.example.com/checkout/';
}
function wc_get_product_variation_attributes( $variation_id ) {
	return array( 'attribute_pa_size' => 'large' );
}

class WC_Webhook {
	public $id = 0;
	public $props = array(
		'name'          => '',
		'topic'         => '',
		'delivery_url'  => '',
		'secret'        => '',
		'api_version'   => '',
		'user_id'       => 0,
		'status'        => 'disabled',
		'failure_count' => 0,
	);
	public function __construct( $id = 0 ) {
		$this->id = (int) $id;
	}
	public function __call( $method, $args ) {
		$prop = substr( $method, 4 );
		if ( 0 === strpos( $method, 'set_' ) ) {
			$this->props[ $prop ] = $args[0];
			return null;
		}
		if ( 0 === strpos( $method, 'get_' ) ) {
			return $this->props[ $prop ];
		}
		throw new BadMethodCallException( $method );
	}
	public function get_id() {
		return $this->id;
	}
	public function save() {
		if ( 0 === $this->id ) {
			$this->id = Test_World::$next_webhook_id++;
		}
		Test_World::$webhooks[ $this->id ] = clone $this;
		return $this->id;
	}
	public function delete( $force = false ) {
		unset( Test_World::$webhooks[ $this->id ] );
		return true;
	}
}

function wc_get_webhook( $id ) {
	return isset( Test_World::$webhooks[ $id ] ) ? clone Test_World::$webhooks[ $id ] : null;
}

class WC_Webhook_Data_Store_Double {
	public function search_webhooks( $args ) {
		$ids = array();
		foreach ( Test_World::$webhooks as $id => $webhook ) {
			if ( false !== stripos( $webhook->get_name(), $args['search'] ?? '' ) ) {
				$ids[] = $id;
			}
		}
		return $ids;
	}
}

class WC_Data_Store {
	public static function load( $type ) {
		if ( 'product' === $type ) {
			return new Test_Product_Data_Store();
		}
		return new WC_Webhook_Data_Store_Double();
	}
}

class WC_Order {
	public $billing = array();
	public $meta    = array();
	public $saved   = 0;
	public function __construct( array $billing ) {
		$this->billing = $billing;
	}
	public function __call( $method, $args ) {
		if ( 0 === strpos( $method, 'get_billing_' ) ) {
			return $this->billing[ substr( $method, 12 ) ] ?? '';
		}
		throw new BadMethodCallException( $method );
	}
	public function update_meta_data( $key, $value ) {
		$this->meta[ $key ] = $value;
	}
	public function save() {
		++$this->saved;
		return 1;
	}
}

/** Records what the plugin asked WooCommerce to render. */
function woocommerce_form_field( $key, $args, $value = null ) {
	Test_World::$options['__fields'][ $key ] = array( 'args' => $args, 'value' => $value );
}
function woocommerce_wp_text_input( $field ) {
	Test_World::$options['__fields'][ $field['id'] ] = array( 'args' => $field, 'value' => null );
}
