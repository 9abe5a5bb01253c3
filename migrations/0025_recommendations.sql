CREATE TABLE `rec_baskets` (
	`store_id` text NOT NULL,
	`order_id` integer NOT NULL,
	`products` text NOT NULL,
	`token` text NOT NULL,
	`counted_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `order_id`)
);
--> statement-breakpoint
CREATE TABLE `rec_item_counts` (
	`store_id` text NOT NULL,
	`product_id` integer NOT NULL,
	`orders` integer NOT NULL,
	PRIMARY KEY(`store_id`, `product_id`)
);
--> statement-breakpoint
CREATE TABLE `rec_pair_counts` (
	`store_id` text NOT NULL,
	`product_id` integer NOT NULL,
	`other_id` integer NOT NULL,
	`orders` integer NOT NULL,
	PRIMARY KEY(`store_id`, `product_id`, `other_id`)
);
--> statement-breakpoint
CREATE TABLE `rec_top_lists` (
	`store_id` text NOT NULL,
	`list` text NOT NULL,
	`rank` integer NOT NULL,
	`product_id` integer NOT NULL,
	`score` real NOT NULL,
	`built_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `list`, `rank`)
);
--> statement-breakpoint
ALTER TABLE `products` ADD `source_created_at` integer;
