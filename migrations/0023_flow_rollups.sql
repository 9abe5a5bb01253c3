CREATE TABLE `flow_stats_daily` (
	`store_id` text NOT NULL,
	`flow_id` text NOT NULL,
	`flow_version` integer NOT NULL,
	`step_id` text NOT NULL,
	`day` text NOT NULL,
	`entered` integer DEFAULT 0 NOT NULL,
	`exited` integer DEFAULT 0 NOT NULL,
	`completed` integer DEFAULT 0 NOT NULL,
	`goal_reached` integer DEFAULT 0 NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`delivered` integer DEFAULT 0 NOT NULL,
	`opened_human` integer DEFAULT 0 NOT NULL,
	`opened_machine` integer DEFAULT 0 NOT NULL,
	`clicked` integer DEFAULT 0 NOT NULL,
	`clicked_filtered` integer DEFAULT 0 NOT NULL,
	`converted` integer DEFAULT 0 NOT NULL,
	`revenue` real DEFAULT 0 NOT NULL,
	`unsubscribed` integer DEFAULT 0 NOT NULL,
	`complained` integer DEFAULT 0 NOT NULL,
	`bounced` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`store_id`, `flow_id`, `day`, `flow_version`, `step_id`)
);
--> statement-breakpoint
CREATE TABLE `flow_exits_daily` (
	`store_id` text NOT NULL,
	`flow_id` text NOT NULL,
	`flow_version` integer NOT NULL,
	`day` text NOT NULL,
	`reason` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`store_id`, `flow_id`, `day`, `flow_version`, `reason`)
);
--> statement-breakpoint
CREATE TABLE `rollup_marks` (
	`store_id` text NOT NULL,
	`subject` text NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `subject`, `kind`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `engagement_touches` (
	`store_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`message_id` text NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `message_id`, `kind`, `at`)
);
--> statement-breakpoint
CREATE INDEX `engagement_touches_contact` ON `engagement_touches` (`store_id`,`contact_id`,`at`);
--> statement-breakpoint
CREATE TABLE `order_credits` (
	`store_id` text NOT NULL,
	`order_id` integer NOT NULL,
	`message_id` text NOT NULL,
	`flow_id` text NOT NULL,
	`flow_version` integer NOT NULL,
	`step_id` text NOT NULL,
	`touch` text NOT NULL,
	`touched_at` integer NOT NULL,
	`day` text NOT NULL,
	`revenue` real NOT NULL,
	`credited_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `order_id`)
);
--> statement-breakpoint
CREATE INDEX `order_credits_flow` ON `order_credits` (`store_id`,`flow_id`);
--> statement-breakpoint
CREATE TABLE `attribution_settings` (
	`store_id` text PRIMARY KEY NOT NULL,
	`email_click_hours` integer NOT NULL,
	`email_open_hours` integer NOT NULL,
	`sms_click_hours` integer NOT NULL,
	`updated_at` integer NOT NULL
);
