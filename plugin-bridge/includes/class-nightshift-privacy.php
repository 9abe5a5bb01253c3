<?php
/**
 * WordPress's personal-data tools reach Nightshift.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Registers an exporter and an eraser with WordPress (Tools → Export / Erase Personal Data), so a request about
 * an email address also exports what Nightshift holds and erases it there, through signed worker calls.
 */
final class Nightshift_Privacy {

	const ID = 'nightshift-bridge';

	/**
	 * Client.
	 *
	 * @var Nightshift_Client
	 */
	private $client;

	/**
	 * Constructor.
	 *
	 * @param Nightshift_Client $client Client.
	 */
	public function __construct( Nightshift_Client $client ) {
		$this->client = $client;
	}

	/**
	 * Hooks the two WordPress filters.
	 */
	public function register() {
		add_filter( 'wp_privacy_personal_data_exporters', array( $this, 'add_exporter' ) );
		add_filter( 'wp_privacy_personal_data_erasers', array( $this, 'add_eraser' ) );
	}

	/**
	 * Adds the exporter.
	 *
	 * @param array $exporters Exporters by id.
	 * @return array
	 */
	public function add_exporter( $exporters ) {
		$exporters[ self::ID ] = array(
			'exporter_friendly_name' => __( 'Nightshift marketing data', 'nightshift-bridge' ),
			'callback'               => array( $this, 'export' ),
		);
		return $exporters;
	}

	/**
	 * Adds the eraser.
	 *
	 * @param array $erasers Erasers by id.
	 * @return array
	 */
	public function add_eraser( $erasers ) {
		$erasers[ self::ID ] = array(
			'eraser_friendly_name' => __( 'Nightshift marketing data', 'nightshift-bridge' ),
			'callback'             => array( $this, 'erase' ),
		);
		return $erasers;
	}

	/**
	 * Exporter callback: everything Nightshift holds for the address, in one page.
	 *
	 * @param string $email Email address.
	 * @param int    $page  Page (WordPress counts from 1; the worker answers everything at once).
	 * @return array{data: array, done: bool}|WP_Error
	 */
	public function export( $email, $page = 1 ) {
		$answer = $this->client->privacy_request( 'export', $email );
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		if ( empty( $answer['found'] ) || ! is_array( $answer['export'] ?? null ) ) {
			return array( 'data' => array(), 'done' => true );
		}
		$export = $answer['export'];
		$items  = array( $this->item( 'contact', 'nightshift-contact', (array) ( $export['contact'] ?? array() ) ) );
		foreach ( (array) ( $export['data'] ?? array() ) as $table => $rows ) {
			foreach ( array_values( (array) $rows ) as $i => $row ) {
				$items[] = $this->item( (string) $table, 'nightshift-' . $table . '-' . ( $i + 1 ), (array) $row );
			}
		}
		return array( 'data' => $items, 'done' => true );
	}

	/**
	 * Eraser callback: erases the address's contact in Nightshift.
	 *
	 * @param string $email Email address.
	 * @param int    $page  Page.
	 * @return array{items_removed: bool, items_retained: bool, messages: string[], done: bool}
	 */
	public function erase( $email, $page = 1 ) {
		$answer = $this->client->privacy_request( 'erase', $email );
		if ( is_wp_error( $answer ) ) {
			return array(
				'items_removed'  => false,
				'items_retained' => true,
				/* translators: %s: error message. */
				'messages'       => array( sprintf( __( 'Nightshift could not be reached, so nothing was erased there: %s Run the erasure again.', 'nightshift-bridge' ), $answer->get_error_message() ) ),
				'done'           => true,
			);
		}
		if ( empty( $answer['erased'] ) ) {
			return array(
				'items_removed'  => false,
				'items_retained' => false,
				'messages'       => array( __( 'Nightshift holds no marketing contact for this email address.', 'nightshift-bridge' ) ),
				'done'           => true,
			);
		}
		$count = array_sum( array_map( 'intval', (array) ( $answer['removed'] ?? array() ) ) );
		return array(
			'items_removed'  => true,
			'items_retained' => false,
			/* translators: %d: number of records erased. */
			'messages'       => array( sprintf( __( 'Nightshift erased the marketing contact and %d records about it; only a hash of the address remains, so it is not contacted again.', 'nightshift-bridge' ), $count ) ),
			'done'           => true,
		);
	}

	/**
	 * One export item: a row as name/value pairs, under a group per kind of record.
	 *
	 * @param string $group   Table name (or "contact").
	 * @param string $item_id Unique item id.
	 * @param array  $row     Column => value.
	 * @return array
	 */
	private function item( $group, $item_id, array $row ) {
		$data = array();
		foreach ( $row as $name => $value ) {
			if ( null === $value || '' === $value ) {
				continue;
			}
			$data[] = array(
				'name'  => (string) $name,
				'value' => is_scalar( $value ) ? (string) $value : (string) wp_json_encode( $value ),
			);
		}
		return array(
			'group_id'    => 'nightshift-' . $group,
			'group_label' => $this->group_label( $group ),
			'item_id'     => $item_id,
			'data'        => $data,
		);
	}

	/**
	 * A readable label for a group of records.
	 *
	 * @param string $group Table name (or "contact").
	 * @return string
	 */
	private function group_label( $group ) {
		$labels = array(
			'contact'     => __( 'Nightshift: marketing contact', 'nightshift-bridge' ),
			'consents'    => __( 'Nightshift: consent history', 'nightshift-bridge' ),
			'orders'      => __( 'Nightshift: orders', 'nightshift-bridge' ),
			'order_items' => __( 'Nightshift: order lines', 'nightshift-bridge' ),
			'events'      => __( 'Nightshift: activity on the shop', 'nightshift-bridge' ),
			'messages'    => __( 'Nightshift: messages sent', 'nightshift-bridge' ),
			'visitors'    => __( 'Nightshift: browsers', 'nightshift-bridge' ),
			'carts'       => __( 'Nightshift: carts', 'nightshift-bridge' ),
		);
		/* translators: %s: name of a kind of record. */
		return $labels[ $group ] ?? sprintf( __( 'Nightshift: %s', 'nightshift-bridge' ), $group );
	}
}
