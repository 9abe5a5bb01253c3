CREATE TABLE `consent_confirmations` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`channel` text NOT NULL,
	`purpose` text NOT NULL,
	`source` text NOT NULL,
	`text_version` text,
	`status` text NOT NULL,
	`event_key` text NOT NULL,
	`requested_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`resolved_at` integer,
	`proof_ip_hash` text,
	`proof_user_agent` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consent_confirmations_event` ON `consent_confirmations` (`store_id`,`event_key`);--> statement-breakpoint
CREATE INDEX `consent_confirmations_contact` ON `consent_confirmations` (`store_id`,`contact_id`,`status`);--> statement-breakpoint
CREATE INDEX `consent_confirmations_expiry` ON `consent_confirmations` (`status`,`expires_at`);--> statement-breakpoint
CREATE TABLE `contact_preferences` (
	`store_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`channel` text NOT NULL,
	`frequency` text DEFAULT 'as_it_comes' NOT NULL,
	`paused_until` integer,
	`muted_topics` text DEFAULT '[]' NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `contact_id`, `channel`)
);
--> statement-breakpoint
CREATE TABLE `erasure_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`store_id` text NOT NULL,
	`subject_id` text NOT NULL,
	`requested_by` text NOT NULL,
	`removed` text NOT NULL,
	`erased_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `erasure_log_store` ON `erasure_log` (`store_id`,`erased_at`);--> statement-breakpoint
CREATE TABLE `erasure_suppressions` (
	`store_id` text NOT NULL,
	`hash` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `hash`)
);
--> statement-breakpoint
CREATE TABLE `preference_answers` (
	`store_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`send_id` text,
	`answered_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `contact_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `privacy_settings` (
	`store_id` text PRIMARY KEY NOT NULL,
	`double_opt_in` integer DEFAULT true NOT NULL,
	`confirmation_days` integer DEFAULT 7 NOT NULL,
	`event_retention_months` integer DEFAULT 13 NOT NULL,
	`updated_at` integer NOT NULL
);
