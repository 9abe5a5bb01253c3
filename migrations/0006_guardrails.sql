CREATE TABLE `contact_hibernation` (
	`store_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`last_activity_at` integer,
	`hibernated_at` integer,
	`checked_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `contact_id`)
);
--> statement-breakpoint
CREATE INDEX `contact_hibernation_state` ON `contact_hibernation` (`store_id`,`hibernated_at`);--> statement-breakpoint
CREATE TABLE `guardrail_settings` (
	`store_id` text PRIMARY KEY NOT NULL,
	`email_cap` integer NOT NULL,
	`email_window_days` integer NOT NULL,
	`sms_cap` integer NOT NULL,
	`sms_window_days` integer NOT NULL,
	`overall_cap` integer NOT NULL,
	`overall_window_days` integer NOT NULL,
	`hibernation_days` integer NOT NULL,
	`wake_hour` integer NOT NULL,
	`sleep_hour` integer NOT NULL,
	`send_time_optimization` integer NOT NULL,
	`send_time_min_engagements` integer NOT NULL,
	`repromotion_days` integer NOT NULL,
	`one_flow_per_day` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `send_decisions` (
	`store_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`contact_id` text NOT NULL,
	`flow_id` text,
	`channel` text NOT NULL,
	`decision` text NOT NULL,
	`reason` text,
	`until` integer,
	`priority` text NOT NULL,
	`transactional` integer NOT NULL,
	`deferrals` integer DEFAULT 0 NOT NULL,
	`decided_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `idempotency_key`)
);
--> statement-breakpoint
CREATE INDEX `send_decisions_contact` ON `send_decisions` (`store_id`,`contact_id`,`decided_at`);