CREATE TABLE `segment_daily_counts` (
	`store_id` text NOT NULL,
	`segment_id` text NOT NULL,
	`day` text NOT NULL,
	`members` integer NOT NULL,
	PRIMARY KEY(`store_id`, `segment_id`, `day`)
);
