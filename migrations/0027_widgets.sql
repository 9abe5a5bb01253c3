CREATE TABLE `widgets` (
	`id` text NOT NULL,
	`store_id` text NOT NULL,
	`kind` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`config` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `widget_results` (
	`store_id` text NOT NULL,
	`widget_id` text NOT NULL,
	`metric` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`store_id`, `widget_id`, `metric`)
);
--> statement-breakpoint
CREATE TABLE `widget_signups` (
	`store_id` text NOT NULL,
	`widget_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`submitted_at` integer NOT NULL,
	`confirmed_at` integer,
	`ordered_at` integer,
	PRIMARY KEY(`store_id`, `contact_id`, `widget_id`)
);
