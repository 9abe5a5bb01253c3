<?php
/**
 * Server-side events gathered during one request.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Collects events during the request and sends them as one signed batch at shutdown, so a
 * page that adds three items costs one short non-blocking call, after the work is done.
 */
final class Nightshift_Event_Queue {

	/**
	 * Client.
	 *
	 * @var Nightshift_Client
	 */
	private $client;

	/**
	 * Visitor.
	 *
	 * @var Nightshift_Visitor
	 */
	private $visitor;

	/**
	 * Pending events.
	 *
	 * @var array[]
	 */
	private $events = array();

	/**
	 * Constructor.
	 *
	 * @param Nightshift_Client  $client  Client.
	 * @param Nightshift_Visitor $visitor Visitor.
	 */
	public function __construct( Nightshift_Client $client, Nightshift_Visitor $visitor ) {
		$this->client  = $client;
		$this->visitor = $visitor;
	}

	/**
	 * Hooks the flush late on shutdown, after everything else had its say.
	 */
	public function register() {
		add_action( 'shutdown', array( $this, 'flush' ), 100 );
	}

	/**
	 * Builds one event: a unique id (retries stay idempotent), the type and the time in ms.
	 *
	 * @param string $type  Event type.
	 * @param array  $props Properties.
	 * @return array
	 */
	public static function event( $type, array $props ) {
		return array_merge(
			array(
				'id'   => wp_generate_uuid4(),
				'type' => $type,
				'ts'   => (int) floor( microtime( true ) * 1000 ),
			),
			$props
		);
	}

	/**
	 * Queues an event for the end of the request.
	 *
	 * @param string $type  Event type.
	 * @param array  $props Properties.
	 */
	public function add( $type, array $props ) {
		// Fix the visitor id now: at shutdown the headers are gone and a new cookie could not be set.
		$this->visitor->id();
		$this->events[] = self::event( $type, $props );
	}

	/**
	 * Events waiting to be sent.
	 *
	 * @return array[]
	 */
	public function pending() {
		return $this->events;
	}

	/**
	 * Sends queued events plus `$extra` now and waits for the answer (AJAX handlers).
	 *
	 * @param array[] $extra Events to send with the queued ones.
	 * @return bool
	 */
	public function send_now( array $extra = array() ) {
		$events       = array_merge( $this->events, $extra );
		$this->events = array();
		return $this->send( $events, true );
	}

	/**
	 * Sends whatever is queued without waiting. Hooked on shutdown.
	 */
	public function flush() {
		$events       = $this->events;
		$this->events = array();
		$this->send( $events, false );
	}

	/**
	 * Sends, swallowing anything that goes wrong: the shop must never notice.
	 *
	 * @param array[] $events   Events.
	 * @param bool    $blocking Wait for the answer.
	 * @return bool
	 */
	private function send( array $events, $blocking ) {
		if ( array() === $events ) {
			return true;
		}
		try {
			return $this->client->send_events( $this->visitor->id(), $events, $blocking );
		} catch ( Throwable $e ) {
			return false;
		}
	}
}
