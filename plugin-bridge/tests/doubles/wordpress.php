<?php
/**
 * Minimal WordPress function doubles: just enough behaviour for the plugin's own classes.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

define( 'DAY_IN_SECONDS', 86400 );

class WP_Error {
	private $code;
	private $message;
	public function __construct( $code = '', $message = '' ) {
		$this->code    = $code;
		$this->message = $message;
	}
	public function get_error_code() {
		return $this->code;
	}
	public function get_error_message() {
		return $this->message;
	}
	public $errors = array();
	public function add( $code, $message ) {
		$this->errors[ $code ][] = $message;
	}
}

function is_wp_error( $thing ) {
	return $thing instanceof WP_Error;
}

function __( $text, $domain = 'default' ) {
	return $text;
}
function esc_html__( $text, $domain = 'default' ) {
	return htmlspecialchars( $text, ENT_QUOTES );
}
function esc_html( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES );
}
function esc_attr( $text ) {
	return htmlspecialchars( (string) $text, ENT_QUOTES );
}

function add_action( $hook, $callback, $priority = 10, $args = 1 ) {
	Test_World::$actions[ $hook ][] = array( $callback, $priority, $args );
	return true;
}
function add_filter( $hook, $callback, $priority = 10, $args = 1 ) {
	return add_action( $hook, $callback, $priority, $args );
}
function apply_filters( $hook, $value, ...$args ) {
	foreach ( Test_World::$actions[ $hook ] ?? array() as $entry ) {
		$value = call_user_func_array( $entry[0], array_merge( array( $value ), $args ) );
	}
	return $value;
}
function do_action( $hook, ...$args ) {
	$entries = Test_World::$actions[ $hook ] ?? array();
	usort( $entries, function ( $a, $b ) { return $a[1] <=> $b[1]; } );
	foreach ( $entries as $entry ) {
		call_user_func_array( $entry[0], array_slice( $args, 0, $entry[2] ) );
	}
}

function get_option( $name, $default = false ) {
	return array_key_exists( $name, Test_World::$options ) ? Test_World::$options[ $name ] : $default;
}
function update_option( $name, $value, $autoload = null ) {
	Test_World::$options[ $name ] = $value;
	return true;
}
function delete_option( $name ) {
	unset( Test_World::$options[ $name ] );
	return true;
}

function untrailingslashit( $value ) {
	return rtrim( $value, '/\\' );
}
function home_url( $path = '' ) {
	return 'https://shop.example.com' . $path;
}
function wp_timezone_string() {
	return 'Europe/Paris';
}
function determine_locale() {
	return Test_World::$options['__locale'] ?? 'fr_FR';
}
function wp_json_encode( $data, $flags = 0, $depth = 512 ) {
	return json_encode( $data, $flags, $depth );
}
function wp_generate_uuid4() {
	return sprintf( '00000000-0000-4000-8000-%012d', ++Test_World::$uuid );
}
function wp_generate_password( $length = 12, $special_chars = true, $extra_special_chars = false ) {
	$chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
	if ( $special_chars ) {
		$chars .= '!@#$%^&*()';
	}
	if ( $extra_special_chars ) {
		$chars .= '-_ []{}<>~`+=,.;:/?|';
	}
	$password = '';
	for ( $i = 0; $i < $length; $i++ ) {
		$password .= $chars[ random_int( 0, strlen( $chars ) - 1 ) ];
	}
	return $password;
}
function wp_http_validate_url( $url ) {
	return filter_var( $url, FILTER_VALIDATE_URL ) && preg_match( '#^https?://#', $url ) ? $url : false;
}
function wp_remote_post( $url, $args = array() ) {
	Test_World::$http[] = array( 'url' => $url, 'args' => $args );
	$next = array_shift( Test_World::$http_responses );
	if ( $next instanceof Throwable ) {
		throw $next;
	}
	return $next ?? array( 'response' => array( 'code' => 204 ), 'body' => '' );
}
function wp_remote_retrieve_response_code( $response ) {
	return is_array( $response ) ? $response['response']['code'] : '';
}
function wp_remote_retrieve_body( $response ) {
	return is_array( $response ) ? $response['body'] : '';
}

function sanitize_text_field( $value ) {
	return trim( preg_replace( '/[\r\n\t ]+/', ' ', strip_tags( (string) $value ) ) );
}
function sanitize_email( $email ) {
	return preg_replace( '/[^a-zA-Z0-9.!#$%&\'*+\/=?^_`{|}~@-]/', '', (string) $email );
}
function is_email( $email ) {
	return false !== filter_var( $email, FILTER_VALIDATE_EMAIL ) ? $email : false;
}
function wp_unslash( $value ) {
	return is_string( $value ) ? stripslashes( $value ) : $value;
}
function wp_strip_all_tags( $text ) {
	return trim( strip_tags( $text ) );
}
function is_ssl() {
	return true;
}
function is_admin() {
	return false;
}
function get_current_user_id() {
	return Test_World::$current_user;
}
function get_user_meta( $user_id, $key, $single = false ) {
	return Test_World::$user_meta[ $user_id ][ $key ] ?? '';
}
function update_user_meta( $user_id, $key, $value ) {
	Test_World::$user_meta[ $user_id ][ $key ] = $value;
	return true;
}
function delete_user_meta( $user_id, $key ) {
	unset( Test_World::$user_meta[ $user_id ][ $key ] );
	return true;
}
function get_userdata( $user_id ) {
	return Test_World::$users[ $user_id ] ?? false;
}
function wp_get_attachment_image_url( $id, $size ) {
	return 'https://shop.example.com/wp-content/uploads/' . $id . '-300x300.jpg';
}
function wp_enqueue_script( $handle, $src = '', $deps = array(), $ver = false, $args = array() ) {
	Test_World::$scripts[ $handle ] = array( 'src' => $src, 'deps' => $deps, 'ver' => $ver, 'args' => $args );
}
function wp_add_inline_script( $handle, $data, $position = 'after' ) {
	Test_World::$inline_scripts[ $handle ][] = $position . ':' . $data;
	return true;
}

/** Thrown by the wp_send_json_* doubles, which end the request in WordPress. */
class Test_Json_Response extends Exception {
	public $success;
	public $data;
	public $status;
	public function __construct( $success, $data, $status ) {
		parent::__construct( 'json response' );
		$this->success = $success;
		$this->data    = $data;
		$this->status  = $status;
	}
}
function wp_send_json_success( $data = null, $status = null ) {
	throw new Test_Json_Response( true, $data, $status );
}
function wp_send_json_error( $data = null, $status = null ) {
	throw new Test_Json_Response( false, $data, $status );
}
function check_ajax_referer( $action, $query_arg = false, $stop = true ) {
	return isset( $_POST[ $query_arg ] ) && 'nonce:' . $action === $_POST[ $query_arg ] ? 1 : false;
}
function wp_create_nonce( $action ) {
	return 'nonce:' . $action;
}
if ( ! function_exists( 'admin_url' ) ) {
	function admin_url( $path = '' ) {
		return 'https://shop.example.com/wp-admin/' . ltrim( $path, '/' );
	}
}
