<?php
/**
 * The WooCommerce webhooks Nightshift needs.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * Registers, updates and removes the plugin's WooCommerce webhooks. Syncing is idempotent: each
 * topic ends with exactly one webhook, reusing the one registered before (found by id, or by
 * name if the stored ids were lost), so reconnecting never duplicates deliveries.
 */
final class Nightshift_Webhooks {

	const TOPICS = array(
		'order.created',
		'order.updated',
		'order.deleted',
		'customer.created',
		'customer.updated',
		'product.created',
		'product.updated',
		'product.deleted',
		'coupon.created',
		'coupon.updated',
		'customer.deleted',
		'order.restored',
		'product.restored',
		'coupon.deleted',
		'coupon.restored',
	);

	const NAME_PREFIX = 'Nightshift: ';
	const API_VERSION = 'wp_api_v3';

	/**
	 * Creates or updates one active webhook per topic.
	 *
	 * @param string            $delivery_url <url>/webhooks/woocommerce/<store>.
	 * @param string            $secret       Shared secret.
	 * @param array<string,int> $known_ids    Ids registered before, by topic.
	 * @param int               $user_id      User whose permissions build the payloads.
	 * @return array<string,int> Webhook ids by topic.
	 */
	public function sync( $delivery_url, $secret, array $known_ids, $user_id ) {
		$existing = $this->existing( $known_ids );
		$ids      = array();
		foreach ( self::TOPICS as $topic ) {
			$candidates = isset( $existing[ $topic ] ) ? $existing[ $topic ] : array();
			$webhook    = array() === $candidates ? new WC_Webhook() : array_shift( $candidates );
			foreach ( $candidates as $duplicate ) {
				$duplicate->delete( true );
			}
			$webhook->set_name( self::NAME_PREFIX . $topic );
			$webhook->set_topic( $topic );
			$webhook->set_delivery_url( $delivery_url );
			$webhook->set_secret( $secret );
			$webhook->set_api_version( self::API_VERSION );
			$webhook->set_user_id( $user_id );
			$webhook->set_status( 'active' );
			// A webhook WooCommerce disabled after failures starts afresh.
			$webhook->set_failure_count( 0 );
			$ids[ $topic ] = (int) $webhook->save();
		}
		return $ids;
	}

	/**
	 * Gives every webhook this plugin registered a new secret, keeping everything else (owner, status, URL):
	 * WooCommerce signs each delivery with the secret saved at delivery time.
	 *
	 * @param array<string,int> $known_ids Ids by topic.
	 * @param string            $secret    New secret.
	 * @return int How many webhooks were updated.
	 */
	public function set_secret( array $known_ids, $secret ) {
		$count = 0;
		foreach ( $this->existing( $known_ids ) as $webhooks ) {
			foreach ( $webhooks as $webhook ) {
				$webhook->set_secret( $secret );
				$webhook->save();
				++$count;
			}
		}
		return $count;
	}

	/**
	 * Deletes the given webhooks and any other webhook this plugin registered.
	 *
	 * @param array<string,int> $known_ids Ids by topic.
	 */
	public function remove( array $known_ids ) {
		foreach ( $this->existing( $known_ids ) as $webhooks ) {
			foreach ( $webhooks as $webhook ) {
				$webhook->delete( true );
			}
		}
	}

	/**
	 * Stops deliveries while the plugin is deactivated: WooCommerce keeps the webhooks but does not send
	 * `paused` ones. Only active webhooks are paused, so one WooCommerce disabled after failures stays disabled.
	 *
	 * @param array<string,int> $known_ids Ids by topic.
	 * @return int How many were paused.
	 */
	public function pause( array $known_ids ) {
		return $this->move( $known_ids, 'active', 'paused' );
	}

	/**
	 * Resumes the webhooks `pause` paused, when the plugin is activated again.
	 *
	 * @param array<string,int> $known_ids Ids by topic.
	 * @return int How many were resumed.
	 */
	public function resume( array $known_ids ) {
		return $this->move( $known_ids, 'paused', 'active' );
	}

	/**
	 * Sets every webhook of the plugin that has status `$from` to `$to`.
	 *
	 * @param array<string,int> $known_ids Ids by topic.
	 * @param string            $from      Status to change.
	 * @param string            $to        New status.
	 * @return int How many changed.
	 */
	private function move( array $known_ids, $from, $to ) {
		$moved = 0;
		foreach ( $this->existing( $known_ids ) as $webhooks ) {
			foreach ( $webhooks as $webhook ) {
				if ( $from === $webhook->get_status() ) {
					$webhook->set_status( $to );
					$webhook->save();
					++$moved;
				}
			}
		}
		return $moved;
	}

	/**
	 * Status of each registered webhook, for the settings page.
	 *
	 * @param array<string,int> $known_ids Ids by topic.
	 * @return array<string,string> Status by topic ('missing' when gone).
	 */
	public function statuses( array $known_ids ) {
		$statuses = array();
		foreach ( $known_ids as $topic => $id ) {
			$webhook            = wc_get_webhook( $id );
			$statuses[ $topic ] = $webhook ? $webhook->get_status() : 'missing';
		}
		return $statuses;
	}

	/**
	 * The plugin's webhooks that exist now, grouped by topic, known ids first.
	 *
	 * @param array<string,int> $known_ids Ids by topic.
	 * @return array<string, WC_Webhook[]>
	 */
	private function existing( array $known_ids ) {
		$ids = array_values( array_filter( array_map( 'intval', $known_ids ) ) );
		$ids = array_merge( $ids, array_map( 'intval', (array) WC_Data_Store::load( 'webhook' )->search_webhooks( array( 'search' => trim( self::NAME_PREFIX ) ) ) ) );
		$by_topic = array();
		foreach ( array_unique( $ids ) as $id ) {
			$webhook = wc_get_webhook( $id );
			if ( ! $webhook || ! $this->is_ours( $webhook, $known_ids ) ) {
				continue;
			}
			$by_topic[ $webhook->get_topic() ][] = $webhook;
		}
		return $by_topic;
	}

	/**
	 * Ours: registered under a stored id, or named by this plugin and pointing at a Nightshift route.
	 *
	 * @param WC_Webhook        $webhook   Webhook.
	 * @param array<string,int> $known_ids Ids by topic.
	 * @return bool
	 */
	private function is_ours( $webhook, array $known_ids ) {
		if ( in_array( (int) $webhook->get_id(), array_map( 'intval', $known_ids ), true ) ) {
			return true;
		}
		return 0 === strpos( $webhook->get_name(), self::NAME_PREFIX ) && false !== strpos( $webhook->get_delivery_url(), '/webhooks/woocommerce/' );
	}
}
