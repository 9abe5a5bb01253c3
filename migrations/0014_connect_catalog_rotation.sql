ALTER TABLE `products` ADD `stock_quantity` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `catalog_seen_at` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `missing_at` integer;--> statement-breakpoint
CREATE TABLE `product_categories` (
	`store_id` text NOT NULL,
	`id` integer NOT NULL,
	`parent_id` integer,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`product_count` integer,
	`catalog_seen_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `catalog_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`tasks_total` integer NOT NULL,
	`products_seen` integer DEFAULT 0 NOT NULL,
	`marked_missing` integer,
	`error` text,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `catalog_runs_store` ON `catalog_runs` (`store_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `catalog_run_tasks` (
	`run_id` text NOT NULL,
	`task` text NOT NULL,
	`done_at` integer,
	PRIMARY KEY(`run_id`, `task`)
);
--> statement-breakpoint
CREATE TABLE `wc_auth_requests` (
	`store_id` text NOT NULL,
	`value_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `value_hash`)
);
--> statement-breakpoint
ALTER TABLE `stores` ADD `previous_webhook_secret` text;--> statement-breakpoint
ALTER TABLE `stores` ADD `previous_secret_until` integer;--> statement-breakpoint
ALTER TABLE `stores` ADD `pending_webhook_secret` text;
