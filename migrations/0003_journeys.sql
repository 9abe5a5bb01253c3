CREATE TABLE `contact_properties` (
	`store_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `contact_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `contact_tags` (
	`store_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`tag` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `contact_id`, `tag`)
);
--> statement-breakpoint
CREATE TABLE `flow_versions` (
	`store_id` text NOT NULL,
	`flow_id` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `flow_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `flows` (
	`store_id` text NOT NULL,
	`id` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`enabled` integer NOT NULL,
	`position` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `journey_enrollments` (
	`store_id` text NOT NULL,
	`id` text NOT NULL,
	`contact_id` text NOT NULL,
	`flow_id` text NOT NULL,
	`flow_version` integer NOT NULL,
	`status` text NOT NULL,
	`exit_reason` text,
	`converted` integer DEFAULT false NOT NULL,
	`entered_at` integer NOT NULL,
	`ended_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `id`)
);
--> statement-breakpoint
CREATE INDEX `journey_enrollments_contact` ON `journey_enrollments` (`store_id`,`contact_id`,`entered_at`);--> statement-breakpoint
CREATE INDEX `journey_enrollments_flow` ON `journey_enrollments` (`store_id`,`flow_id`,`status`);--> statement-breakpoint
CREATE TABLE `journey_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`store_id` text NOT NULL,
	`log_key` text NOT NULL,
	`contact_id` text NOT NULL,
	`flow_id` text NOT NULL,
	`flow_version` integer NOT NULL,
	`enrollment_id` text NOT NULL,
	`what` text NOT NULL,
	`node_id` text,
	`reason` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `journey_log_key` ON `journey_log` (`store_id`,`log_key`);--> statement-breakpoint
CREATE INDEX `journey_log_flow` ON `journey_log` (`store_id`,`flow_id`,`at`);