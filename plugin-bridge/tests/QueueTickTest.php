<?php
/**
 * The signed tick endpoint runs WooCommerce's pending webhook deliveries without waiting for a visitor.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

require_once dirname( __DIR__ ) . '/includes/class-nightshift-queue-tick.php';

/** Action Scheduler as far as the tick uses it: pending actions by hook and date, and the queue runner. */
final class Test_Action_Scheduler {
	/** @var array<int,array{hook:string,status:string,date:string}> */
	public static array $actions = array();
	/** @var array<int,array{0:int,1:string}> */
	public static array $processed = array();
}
if ( ! class_exists( 'ActionScheduler_Store' ) ) {
	abstract class ActionScheduler_Store {
		const STATUS_PENDING  = 'pending';
		const STATUS_COMPLETE = 'complete';
	}
}
if ( ! class_exists( 'ActionScheduler' ) ) {
	final class ActionScheduler {
		public static function runner() {
			return new class() {
				public function process_action( $action_id, $context = '' ) {
					Test_Action_Scheduler::$processed[]                     = array( $action_id, $context );
					Test_Action_Scheduler::$actions[ $action_id ]['status'] = ActionScheduler_Store::STATUS_COMPLETE;
				}
			};
		}
	}
}
if ( ! function_exists( 'as_get_scheduled_actions' ) ) {
	function as_get_scheduled_actions( $args = array(), $return_format = OBJECT ) {
		$ids = array();
		foreach ( Test_Action_Scheduler::$actions as $id => $action ) {
			if ( $action['hook'] === $args['hook'] && $action['status'] === $args['status'] && $action['date'] <= $args['date'] ) {
				$ids[] = $id;
			}
		}
		return array_slice( $ids, 0, $args['per_page'] );
	}
}
if ( ! function_exists( 'register_rest_route' ) ) {
	function register_rest_route( $namespace, $route, $args ) {
		Test_World::$options['__routes'][ $namespace . $route ] = $args;
		return true;
	}
}
if ( ! class_exists( 'WP_REST_Request' ) ) {
	final class WP_REST_Request {
		public function __construct( private array $headers, private string $body ) {}
		public function get_header( $key ) {
			return $this->headers[ strtolower( str_replace( '-', '_', $key ) ) ] ?? null;
		}
		public function get_body() {
			return $this->body;
		}
	}
}

final class QueueTickTest extends Nightshift_Test_Case {

	private array $route;

	protected function setUp(): void {
		parent::setUp();
		Test_Action_Scheduler::$actions   = array(
			7 => array( 'hook' => 'woocommerce_deliver_webhook_async', 'status' => 'pending', 'date' => '2000-01-01 00:00:00' ),
			8 => array( 'hook' => 'woocommerce_deliver_webhook_async', 'status' => 'pending', 'date' => '2000-01-01 00:00:01' ),
			9 => array( 'hook' => 'woocommerce_cleanup_sessions', 'status' => 'pending', 'date' => '2000-01-01 00:00:00' ),
			10 => array( 'hook' => 'woocommerce_deliver_webhook_async', 'status' => 'pending', 'date' => '2999-01-01 00:00:00' ),
		);
		Test_Action_Scheduler::$processed = array();
		( new Nightshift_Queue_Tick( $this->connected_settings() ) )->register();
		do_action( 'rest_api_init' );
		$this->route = Test_World::$options['__routes']['nightshift/v1/tick'];
	}

	private function request( string $body, int $t, string $secret = self::SECRET ): WP_REST_Request {
		$header = ( new Nightshift_Signer( $secret ) )->signature_header( $body, $t );
		return new WP_REST_Request( array( 'x_nightshift_signature' => $header ), $body );
	}

	public function test_the_route_is_a_post_guarded_by_the_signature(): void {
		$this->assertSame( 'POST', $this->route['methods'] );
		$this->assertTrue( call_user_func( $this->route['permission_callback'], $this->request( '{"store":"demo-shop"}', time() ) ) );
	}

	public function test_a_wrong_stale_or_missing_signature_is_refused(): void {
		$check = $this->route['permission_callback'];
		foreach ( array(
			'other secret' => $this->request( '{}', time(), 'not-the-secret' ),
			'too old'      => $this->request( '{}', time() - 301 ),
			'too new'      => $this->request( '{}', time() + 301 ),
			'missing'      => new WP_REST_Request( array(), '{}' ),
		) as $case => $request ) {
			$answer = call_user_func( $check, $request );
			$this->assertInstanceOf( WP_Error::class, $answer, $case );
			$this->assertSame( 'nightshift_bad_signature', $answer->get_error_code(), $case );
		}
		$signed = $this->request( '{"a":1}', time() );
		$forged = new WP_REST_Request( array( 'x_nightshift_signature' => $signed->get_header( 'x_nightshift_signature' ) ), '{"a":2}' );
		$this->assertInstanceOf( WP_Error::class, call_user_func( $check, $forged ), 'the body is signed too' );
		$this->assertSame( array(), Test_Action_Scheduler::$processed );
	}

	public function test_a_signed_tick_runs_the_due_webhook_deliveries_only(): void {
		$answer = call_user_func( $this->route['callback'], $this->request( '{}', time() ) );
		$this->assertSame( array( array( 7, 'Nightshift tick' ), array( 8, 'Nightshift tick' ) ), Test_Action_Scheduler::$processed );
		$this->assertSame( array( 'ran' => 2, 'pending' => 0 ), $answer );
		$this->assertSame( 'pending', Test_Action_Scheduler::$actions[9]['status'], 'other hooks keep their own schedule' );
		$this->assertSame( 'pending', Test_Action_Scheduler::$actions[10]['status'], 'a delivery scheduled later waits' );
	}
}
