CREATE TABLE `contact_merges` (
	`store_id` text NOT NULL,
	`merged_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`merged_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `merged_id`)
);
--> statement-breakpoint
CREATE INDEX `contact_merges_contact` ON `contact_merges` (`store_id`,`contact_id`);
