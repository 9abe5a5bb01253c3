CREATE TABLE `segments` (
	`id` text NOT NULL,
	`store_id` text NOT NULL,
	`name_fr` text NOT NULL,
	`name_en` text NOT NULL,
	`rules` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`built_in` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `segment_members` (
	`store_id` text NOT NULL,
	`segment_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`since` integer NOT NULL,
	PRIMARY KEY(`store_id`, `segment_id`, `contact_id`)
);
--> statement-breakpoint
CREATE INDEX `segment_members_contact` ON `segment_members` (`store_id`,`contact_id`);
--> statement-breakpoint
CREATE TABLE `contact_scores` (
	`store_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`r` integer,
	`f` integer,
	`m` integer,
	`rfm_segment` text,
	`rfm_method` text,
	`lead_score` real DEFAULT 0 NOT NULL,
	`lead_score_at` integer,
	`lead_score_caps` text DEFAULT '{}' NOT NULL,
	`computed_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `contact_id`)
);
--> statement-breakpoint
CREATE INDEX `contact_scores_rfm` ON `contact_scores` (`store_id`,`rfm_segment`);
--> statement-breakpoint
CREATE TABLE `segment_runs` (
	`store_id` text PRIMARY KEY NOT NULL,
	`rfm_basis` text,
	`lead_score_config` text,
	`full_at` integer
);
