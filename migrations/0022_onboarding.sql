CREATE TABLE `webhook_rejections` (
	`store_id` text NOT NULL,
	`day` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `events_store_source_received` ON `events` (`store_id`,`source`,`received_at`);
