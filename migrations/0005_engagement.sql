CREATE TABLE `audience_members` (
	`store_id` text NOT NULL,
	`audience` text NOT NULL,
	`contact_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`added_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audience_members_member` ON `audience_members` (`store_id`,`audience`,`contact_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `audience_members_store_idempotency` ON `audience_members` (`store_id`,`idempotency_key`);--> statement-breakpoint
CREATE TABLE `issued_coupons` (
	`store_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`contact_id` text NOT NULL,
	`code` text NOT NULL,
	`discount_type` text NOT NULL,
	`amount` text NOT NULL,
	`expires_at` integer NOT NULL,
	`status` text NOT NULL,
	`woo_coupon_id` integer,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `issued_coupons_store_idempotency` ON `issued_coupons` (`store_id`,`idempotency_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `issued_coupons_store_code` ON `issued_coupons` (`store_id`,`code`);--> statement-breakpoint
CREATE TABLE `message_clicks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`store_id` text NOT NULL,
	`message_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`link_index` integer NOT NULL,
	`url` text NOT NULL,
	`clicked_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `message_clicks_message` ON `message_clicks` (`store_id`,`message_id`,`clicked_at`);--> statement-breakpoint
CREATE TABLE `prompts` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`template` text NOT NULL,
	`context` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`shown_at` integer,
	`dismissed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prompts_store_idempotency` ON `prompts` (`store_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `prompts_store_contact` ON `prompts` (`store_id`,`contact_id`,`expires_at`);--> statement-breakpoint
CREATE TABLE `webhook_calls` (
	`store_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`contact_id` text NOT NULL,
	`url` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`response_status` integer,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_calls_store_idempotency` ON `webhook_calls` (`store_id`,`idempotency_key`);