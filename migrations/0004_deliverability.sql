CREATE TABLE `provider_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`store_id` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`provider` text DEFAULT 'postmark' NOT NULL,
	`stream` text NOT NULL,
	`record_type` text NOT NULL,
	`kind` text NOT NULL,
	`message_id` text,
	`provider_message_id` text,
	`contact_id` text,
	`recipient` text,
	`occurred_at` integer NOT NULL,
	`received_at` integer NOT NULL,
	`details` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `provider_events_store_dedupe` ON `provider_events` (`store_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `provider_events_store_time` ON `provider_events` (`store_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `provider_events_store_message` ON `provider_events` (`store_id`,`message_id`);--> statement-breakpoint
CREATE TABLE `reputation_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`store_id` text NOT NULL,
	`at` integer NOT NULL,
	`from_state` text NOT NULL,
	`to_state` text NOT NULL,
	`reason` text NOT NULL,
	`incident_id` text,
	`details` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reputation_history_store` ON `reputation_history` (`store_id`,`at`);--> statement-breakpoint
CREATE TABLE `reputation_settings` (
	`store_id` text PRIMARY KEY NOT NULL,
	`complaint_warn` real NOT NULL,
	`complaint_pause` real NOT NULL,
	`hard_bounce_warn` real NOT NULL,
	`hard_bounce_pause` real NOT NULL,
	`unsubscribe_warn` real NOT NULL,
	`unsubscribe_pause` real NOT NULL,
	`min_volume` integer NOT NULL,
	`slow_start_daily_cap` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reputation_state` (
	`store_id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`incident_id` text,
	`reason` text,
	`changed_at` integer NOT NULL,
	`resumed_at` integer,
	`acknowledged_at` integer
);
