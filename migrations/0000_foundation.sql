CREATE TABLE `ingest_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`store_id` text NOT NULL,
	`kind` text NOT NULL,
	`message` text NOT NULL,
	`failed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ingest_failures_store` ON `ingest_failures` (`store_id`,`failed_at`);--> statement-breakpoint
CREATE TABLE `ingest_payloads` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ingest_payloads_store` ON `ingest_payloads` (`store_id`);--> statement-breakpoint
CREATE TABLE `stores` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`site_url` text,
	`webhook_secret` text NOT NULL,
	`site_key` text NOT NULL,
	`connect_token_hash` text,
	`allowed_origins` text DEFAULT '[]' NOT NULL,
	`timezone` text DEFAULT 'Europe/Paris' NOT NULL,
	`locale` text DEFAULT 'fr' NOT NULL,
	`currency` text DEFAULT 'EUR' NOT NULL,
	`consent_pending` integer DEFAULT false NOT NULL,
	`admin_email` text,
	`connected_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stores_site_key_unique` ON `stores` (`site_key`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`store_id` text NOT NULL,
	`delivery_id` text NOT NULL,
	`webhook_id` text,
	`topic` text NOT NULL,
	`resource_id` text,
	`status` text NOT NULL,
	`error` text,
	`received_at` integer NOT NULL,
	`processed_at` integer,
	PRIMARY KEY(`store_id`, `delivery_id`)
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_received` ON `webhook_deliveries` (`store_id`,`received_at`);--> statement-breakpoint
CREATE TABLE `carts` (
	`store_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`contact_id` text,
	`items` text NOT NULL,
	`value` real NOT NULL,
	`currency` text,
	`status` text DEFAULT 'active' NOT NULL,
	`snapshot_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `visitor_id`)
);
--> statement-breakpoint
CREATE INDEX `carts_contact` ON `carts` (`store_id`,`contact_id`);--> statement-breakpoint
CREATE TABLE `consents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`store_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`channel` text NOT NULL,
	`purpose` text NOT NULL,
	`granted` integer NOT NULL,
	`source` text NOT NULL,
	`text_version` text,
	`occurred_at` integer NOT NULL,
	`proof_ip_hash` text,
	`proof_user_agent` text
);
--> statement-breakpoint
CREATE INDEX `consents_contact` ON `consents` (`store_id`,`contact_id`,`channel`,`purpose`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`email` text,
	`phone` text,
	`first_name` text,
	`last_name` text,
	`locale` text,
	`timezone` text,
	`birthday` text,
	`status` text DEFAULT 'active' NOT NULL,
	`woo_customer_id` integer,
	`source_modified_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_store_email` ON `contacts` (`store_id`,`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_store_customer` ON `contacts` (`store_id`,`woo_customer_id`);--> statement-breakpoint
CREATE INDEX `contacts_store_phone` ON `contacts` (`store_id`,`phone`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`store_id` text NOT NULL,
	`event_key` text NOT NULL,
	`type` text NOT NULL,
	`visitor_id` text,
	`contact_id` text,
	`properties` text NOT NULL,
	`source` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_store_key` ON `events` (`store_id`,`event_key`);--> statement-breakpoint
CREATE INDEX `events_contact` ON `events` (`store_id`,`contact_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `events_visitor` ON `events` (`store_id`,`visitor_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `visitors` (
	`store_id` text NOT NULL,
	`visitor_id` text NOT NULL,
	`contact_id` text,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `visitor_id`)
);
--> statement-breakpoint
CREATE INDEX `visitors_contact` ON `visitors` (`store_id`,`contact_id`);--> statement-breakpoint
CREATE TABLE `coupons` (
	`store_id` text NOT NULL,
	`id` integer NOT NULL,
	`code` text NOT NULL,
	`discount_type` text,
	`amount` real,
	`expires_at` integer,
	`usage_count` integer,
	`source_modified_at` integer NOT NULL,
	`deleted_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `coupons_code` ON `coupons` (`store_id`,`code`);--> statement-breakpoint
CREATE TABLE `order_items` (
	`store_id` text NOT NULL,
	`order_id` integer NOT NULL,
	`line_id` integer NOT NULL,
	`product_id` integer NOT NULL,
	`variation_id` integer,
	`name` text NOT NULL,
	`sku` text,
	`quantity` integer NOT NULL,
	`price` real NOT NULL,
	`total` real NOT NULL,
	PRIMARY KEY(`store_id`, `order_id`, `line_id`)
);
--> statement-breakpoint
CREATE INDEX `order_items_product` ON `order_items` (`store_id`,`product_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`store_id` text NOT NULL,
	`id` integer NOT NULL,
	`number` text,
	`contact_id` text,
	`woo_customer_id` integer,
	`status` text NOT NULL,
	`currency` text,
	`total` real NOT NULL,
	`discount_total` real,
	`refunded_total` real DEFAULT 0 NOT NULL,
	`coupon_codes` text NOT NULL,
	`attribution` text NOT NULL,
	`created_at` integer NOT NULL,
	`paid_at` integer,
	`completed_at` integer,
	`refunded_at` integer,
	`cancelled_at` integer,
	`deleted_at` integer,
	`source_modified_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `orders_contact` ON `orders` (`store_id`,`contact_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `products` (
	`store_id` text NOT NULL,
	`id` integer NOT NULL,
	`parent_id` integer,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`sku` text,
	`price` real,
	`categories` text NOT NULL,
	`stock_status` text,
	`permalink` text,
	`image_url` text,
	`lifespan_days` integer,
	`source_modified_at` integer NOT NULL,
	`deleted_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `products_parent` ON `products` (`store_id`,`parent_id`);