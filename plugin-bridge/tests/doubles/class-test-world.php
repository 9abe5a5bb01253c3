<?php
/**
 * State behind the WordPress and WooCommerce doubles; reset before every test.
 *
 * @package NightshiftBridge\Tests
 */

/**
 * What the doubles record and answer.
 */
final class Test_World {
	/** @var array<string,mixed> */
	public static $options = array();
	/** @var array<string,array> Hook name => list of [callback, priority, args]. */
	public static $actions = array();
	/** @var array<int,array{url:string,args:array}> */
	public static $http = array();
	/** @var array<int,array|WP_Error> Responses wp_remote_post returns, in order (default: 204). */
	public static $http_responses = array();
	/** @var array<int,WC_Webhook> */
	public static $webhooks = array();
	/** @var int */
	public static $next_webhook_id = 1;
	/** @var array<int,WC_Product> */
	public static $products = array();
	/** @var array<int,array<string,mixed>> */
	public static $user_meta = array();
	/** @var array<int,object> */
	public static $users = array();
	/** @var array<int,array{0:string,1:string}> */
	public static $notices = array();
	/** @var array<string,array> Enqueued scripts by handle. */
	public static $scripts = array();
	/** @var array<string,string[]> Inline scripts by handle. */
	public static $inline_scripts = array();
	/** @var WC_Cart|null */
	public static $cart = null;
	/** @var int */
	public static $current_user = 0;
	/** @var int */
	public static $uuid = 0;

	public static function reset() {
		self::$options         = array();
		self::$actions         = array();
		self::$http            = array();
		self::$http_responses  = array();
		self::$webhooks        = array();
		self::$next_webhook_id = 1;
		self::$products        = array();
		self::$user_meta       = array();
		self::$users           = array();
		self::$notices         = array();
		self::$scripts         = array();
		self::$inline_scripts  = array();
		self::$cart            = new WC_Cart();
		self::$current_user    = 0;
		self::$uuid            = 0;
		$_POST                 = array();
		$_GET                  = array();
		$_COOKIE               = array();
	}
}
