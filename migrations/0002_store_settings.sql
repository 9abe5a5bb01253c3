CREATE TABLE `store_settings` (
	`store_id` text PRIMARY KEY NOT NULL,
	`from_email` text,
	`from_name` text,
	`reply_to` text,
	`postal_address` text,
	`postmark_server_token` text,
	`postmark_message_stream` text DEFAULT 'broadcast' NOT NULL,
	`postmark_webhook_user` text,
	`postmark_webhook_password_hash` text,
	`sms_account_sid` text,
	`sms_auth_token` text,
	`sms_from` text,
	`sms_messaging_service_sid` text,
	`woo_consumer_key` text,
	`woo_consumer_secret` text,
	`link_signing_key` text,
	`updated_at` integer NOT NULL
);
