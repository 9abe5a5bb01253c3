<?php
/**
 * Doubles for WooCommerce's block checkout: the Additional Checkout Fields API, its CheckoutFields getter,
 * the Store API's customer, and an order that knows its customer.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

namespace Automattic\WooCommerce\Blocks\Domain\Services {
	/** Reads contact/order fields the way WooCommerce stores them: order meta `_wc_other/<id>`. */
	class CheckoutFields {
		const OTHER_FIELDS_PREFIX = '_wc_other/';
		public function get_field_from_object( $field, $object, $group = 'other' ) {
			$value = $object->meta[ self::OTHER_FIELDS_PREFIX . $field ] ?? '';
			$type  = \Test_World::$options['__checkout_fields'][ $field ]['type'] ?? 'text';
			return 'checkbox' === $type ? '1' === $value : $value;
		}
	}
}

namespace Automattic\WooCommerce\Blocks {
	class Test_Container {
		public function get( $class ) {
			return new $class();
		}
	}
	class Package {
		public static function container() {
			return new Test_Container();
		}
	}
}

namespace {
	function woocommerce_register_additional_checkout_field( $options ) {
		Test_World::$options['__checkout_fields'][ $options['id'] ] = $options;
	}

	if ( ! class_exists( 'WC_Customer' ) ) {
		/** The Store API's customer: billing data and what this request changed. */
		class WC_Customer {
			public $billing = array();
			public $changes = array();
			public function __construct( array $billing = array(), array $changes = array() ) {
				$this->billing = $billing;
				$this->changes = $changes;
			}
			public function get_billing_email() {
				return $this->billing['email'] ?? '';
			}
			public function get_billing_phone() {
				return $this->billing['phone'] ?? '';
			}
			public function get_changes() {
				return $this->changes;
			}
		}
	}

	/** An order placed through the Store API, by a customer (0 for a guest). */
	class Test_Store_Api_Order extends WC_Order {
		public $customer_id = 0;
		public function get_customer_id() {
			return $this->customer_id;
		}
	}

	if ( ! function_exists( 'current_user_can' ) ) {
		function current_user_can( $capability ) {
			return true;
		}
	}
	if ( ! function_exists( 'sanitize_key' ) ) {
		function sanitize_key( $key ) {
			return preg_replace( '/[^a-z0-9_\-]/', '', strtolower( (string) $key ) );
		}
	}
}
