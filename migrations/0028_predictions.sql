ALTER TABLE `contact_scores` ADD `next_order_at` integer;--> statement-breakpoint
ALTER TABLE `contact_scores` ADD `p_alive` real;--> statement-breakpoint
ALTER TABLE `contact_scores` ADD `expected_orders_90d` real;--> statement-breakpoint
ALTER TABLE `contact_scores` ADD `prediction_method` text;--> statement-breakpoint
ALTER TABLE `contact_scores` ADD `best_send_hour` integer;--> statement-breakpoint
CREATE INDEX `contact_scores_next_order` ON `contact_scores` (`store_id`,`next_order_at`);
--> statement-breakpoint
CREATE TABLE `store_predictions` (
	`store_id` text PRIMARY KEY NOT NULL,
	`bgnbd` text,
	`buyers` integer DEFAULT 0 NOT NULL,
	`repeat_buyers` integer DEFAULT 0 NOT NULL,
	`typical_gap_days` real,
	`send_hours` text,
	`best_send_hour` integer,
	`computed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `product_intervals` (
	`store_id` text NOT NULL,
	`product_id` integer NOT NULL,
	`median_gap_days` real NOT NULL,
	`support` integer NOT NULL,
	`computed_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `product_id`)
);
