CREATE TABLE `message_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`flow_id` text NOT NULL,
	`step_id` text NOT NULL,
	`lang` text NOT NULL,
	`channel` text NOT NULL,
	`version` integer NOT NULL,
	`template_id` text NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`subject` text,
	`preheader` text,
	`html` text,
	`text` text,
	`blocks` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `message_versions_step_version` ON `message_versions` (`store_id`,`flow_id`,`step_id`,`lang`,`version`);
