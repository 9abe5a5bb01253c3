<?php
/**
 * The settings page under WooCommerce.
 *
 * @package NightshiftBridge
 */

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce → Nightshift: URL, store id, connect token, status, Connect and Disconnect.
 */
final class Nightshift_Admin {

	const PAGE       = 'nightshift-bridge';
	const CAPABILITY = 'manage_woocommerce';

	/**
	 * Settings.
	 *
	 * @var Nightshift_Settings
	 */
	private $settings;

	/**
	 * Connection.
	 *
	 * @var Nightshift_Connection
	 */
	private $connection;

	/**
	 * Webhooks.
	 *
	 * @var Nightshift_Webhooks
	 */
	private $webhooks;

	/**
	 * Constructor.
	 *
	 * @param Nightshift_Settings   $settings   Settings.
	 * @param Nightshift_Connection $connection Connection.
	 * @param Nightshift_Webhooks   $webhooks   Webhooks.
	 */
	public function __construct( Nightshift_Settings $settings, Nightshift_Connection $connection, Nightshift_Webhooks $webhooks ) {
		$this->settings   = $settings;
		$this->connection = $connection;
		$this->webhooks   = $webhooks;
	}

	/**
	 * Hooks the menu and the form handlers.
	 */
	public function register() {
		add_action( 'admin_menu', array( $this, 'add_menu' ), 60 );
		add_action( 'admin_post_nightshift_bridge_connect', array( $this, 'handle_connect' ) );
		add_action( 'admin_post_nightshift_bridge_disconnect', array( $this, 'handle_disconnect' ) );
	}

	/**
	 * Adds WooCommerce → Nightshift.
	 */
	public function add_menu() {
		add_submenu_page( 'woocommerce', __( 'Nightshift', 'nightshift-bridge' ), __( 'Nightshift', 'nightshift-bridge' ), self::CAPABILITY, self::PAGE, array( $this, 'render_page' ) );
	}

	/**
	 * Saves the fields and connects.
	 */
	public function handle_connect() {
		$this->authorize( 'nightshift_bridge_connect' );
		$code = isset( $_POST['nightshift_connect_code'] ) ? trim( sanitize_text_field( wp_unslash( $_POST['nightshift_connect_code'] ) ) ) : '';
		if ( '' !== $code && ! $this->settings->save_connect_code( $code ) ) {
			$this->settings->set_last_error( __( 'This is not a Nightshift connect code. Copy it again from the Nightshift dashboard.', 'nightshift-bridge' ) );
			$this->back( 'error' );
		}
		if ( '' === $code && isset( $_POST['nightshift_url'] ) ) {
			// The advanced fields, for a connection set up by hand.
			$url      = esc_url_raw( wp_unslash( $_POST['nightshift_url'] ) );
			$store_id = isset( $_POST['nightshift_store_id'] ) ? sanitize_key( wp_unslash( $_POST['nightshift_store_id'] ) ) : '';
			$token    = isset( $_POST['nightshift_connect_token'] ) ? trim( sanitize_text_field( wp_unslash( $_POST['nightshift_connect_token'] ) ) ) : '';
			$this->settings->save_endpoint( $url, $store_id, $token );
		}
		$result = $this->connection->connect( get_current_user_id() );
		$this->settings->set_last_error( is_wp_error( $result ) ? $result->get_error_message() : '' );
		if ( ! is_wp_error( $result ) && '' !== $this->connection->authorize_url() ) {
			// WooCommerce's own approval screen on this site; its callback hands Nightshift the REST keys.
			wp_safe_redirect( $this->connection->authorize_url() );
			exit;
		}
		$this->back( is_wp_error( $result ) ? 'error' : 'connected' );
	}

	/**
	 * Disconnects.
	 */
	public function handle_disconnect() {
		$this->authorize( 'nightshift_bridge_disconnect' );
		$result = $this->connection->disconnect();
		$this->settings->set_last_error( is_wp_error( $result ) ? $result->get_error_message() : '' );
		$this->back( 'disconnected' );
	}

	/**
	 * Renders the page.
	 */
	public function render_page() {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return;
		}
		$connection = $this->settings->connection();
		echo '<div class="wrap"><h1>' . esc_html__( 'Nightshift', 'nightshift-bridge' ) . '</h1>';
		$this->render_notice();
		echo '<h2>' . esc_html__( 'Connection', 'nightshift-bridge' ) . '</h2>';
		if ( $this->settings->is_connected() ) {
			/* translators: %s: date and time of the connection. */
			echo '<p>' . esc_html( sprintf( __( 'Connected since %s.', 'nightshift-bridge' ), wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), (int) $connection['connected_at'] ) ) ) . '</p>';
			$this->render_webhooks();
		} else {
			echo '<p>' . esc_html__( 'Not connected.', 'nightshift-bridge' ) . '</p>';
		}
		$this->render_form();
		echo '</div>';
	}

	/**
	 * The fields and the Connect button.
	 */
	private function render_form() {
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		wp_nonce_field( 'nightshift_bridge_connect' );
		echo '<input type="hidden" name="action" value="nightshift_bridge_connect" /><table class="form-table" role="presentation">';
		$code_hint = '' !== $this->settings->connect_token() ? __( 'Saved. Leave empty to keep it.', 'nightshift-bridge' ) : 'nsc1.…';
		$this->render_row( 'nightshift_connect_code', __( 'Connect code', 'nightshift-bridge' ), 'password', '', $code_hint );
		echo '</table><p class="description">' . esc_html__( 'Copy the connect code from the Nightshift dashboard (Stores > Add a store). Connecting registers the webhooks, then WooCommerce asks you to approve the access of Nightshift, which lets it import your catalogue and create coupons.', 'nightshift-bridge' ) . '</p>';
		echo '<details><summary>' . esc_html__( 'Advanced: connect with separate fields', 'nightshift-bridge' ) . '</summary><table class="form-table" role="presentation">';
		$this->render_row( 'nightshift_url', __( 'Nightshift URL', 'nightshift-bridge' ), 'url', $this->settings->url(), 'https://nightshift.example.com' );
		$this->render_row( 'nightshift_store_id', __( 'Store id', 'nightshift-bridge' ), 'text', $this->settings->store_id(), 'my-shop' );
		$this->render_row( 'nightshift_connect_token', __( 'Connect token', 'nightshift-bridge' ), 'password', '', '' );
		echo '</table></details>';
		submit_button( $this->settings->is_connected() ? __( 'Save and reconnect', 'nightshift-bridge' ) : __( 'Connect', 'nightshift-bridge' ) );
		echo '</form>';
		if ( $this->settings->is_connected() ) {
			echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
			wp_nonce_field( 'nightshift_bridge_disconnect' );
			echo '<input type="hidden" name="action" value="nightshift_bridge_disconnect" />';
			submit_button( __( 'Disconnect', 'nightshift-bridge' ), 'delete' );
			echo '</form>';
		}
	}

	/**
	 * One field row.
	 *
	 * @param string $name        Field name.
	 * @param string $label       Label.
	 * @param string $type        Input type.
	 * @param string $value       Current value.
	 * @param string $placeholder Placeholder.
	 */
	private function render_row( $name, $label, $type, $value, $placeholder ) {
		printf(
			'<tr><th scope="row"><label for="%1$s">%2$s</label></th><td><input class="regular-text" id="%1$s" name="%1$s" type="%3$s" value="%4$s" placeholder="%5$s" autocomplete="off" /></td></tr>',
			esc_attr( $name ),
			esc_html( $label ),
			esc_attr( $type ),
			esc_attr( $value ),
			esc_attr( $placeholder )
		);
	}

	/**
	 * The registered webhooks and their WooCommerce status.
	 */
	private function render_webhooks() {
		echo '<table class="widefat striped" style="max-width:40em"><thead><tr><th>' . esc_html__( 'Webhook topic', 'nightshift-bridge' ) . '</th><th>' . esc_html__( 'Status', 'nightshift-bridge' ) . '</th></tr></thead><tbody>';
		foreach ( $this->webhooks->statuses( $this->settings->webhook_ids() ) as $topic => $status ) {
			echo '<tr><td><code>' . esc_html( $topic ) . '</code></td><td>' . esc_html( $status ) . '</td></tr>';
		}
		echo '</tbody></table>';
	}

	/**
	 * The outcome of the last action.
	 */
	private function render_notice() {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- display only.
		$result = isset( $_GET['nightshift'] ) ? sanitize_key( wp_unslash( $_GET['nightshift'] ) ) : '';
		$error  = $this->settings->last_error();
		if ( '' !== $error ) {
			echo '<div class="notice notice-error"><p>' . esc_html( $error ) . '</p></div>';
		} elseif ( 'connected' === $result ) {
			echo '<div class="notice notice-success"><p>' . esc_html__( 'Connected to Nightshift. Webhooks are registered.', 'nightshift-bridge' ) . '</p></div>';
		} elseif ( 'authorized' === $result ) {
			$this->render_authorization_notice();
		} elseif ( 'disconnected' === $result ) {
			echo '<div class="notice notice-success"><p>' . esc_html__( 'Disconnected. The webhooks were removed.', 'nightshift-bridge' ) . '</p></div>';
		}
	}

	/**
	 * Back from WooCommerce's approval screen: `success=1` once the keys reached Nightshift, `success=0` when denied.
	 */
	private function render_authorization_notice() {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- display only.
		if ( isset( $_GET['success'] ) && '1' === $_GET['success'] ) {
			echo '<div class="notice notice-success"><p>' . esc_html__( 'Connected to Nightshift. WooCommerce access approved: your catalogue is being imported and coupons can be created.', 'nightshift-bridge' ) . '</p></div>';
			return;
		}
		echo '<div class="notice notice-warning"><p>' . esc_html__( 'Connected, but WooCommerce access was not approved: Nightshift cannot import your catalogue or create coupons. Click Connect again to approve it.', 'nightshift-bridge' ) . '</p></div>';
	}

	/**
	 * Capability and nonce check for the form handlers.
	 *
	 * @param string $action Nonce action.
	 */
	private function authorize( $action ) {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'You are not allowed to manage Nightshift.', 'nightshift-bridge' ), 403 );
		}
		check_admin_referer( $action );
	}

	/**
	 * Back to the settings page.
	 *
	 * @param string $result Outcome for the notice.
	 */
	private function back( $result ) {
		wp_safe_redirect( add_query_arg( 'nightshift', $result, admin_url( 'admin.php?page=' . self::PAGE ) ) );
		exit;
	}
}
