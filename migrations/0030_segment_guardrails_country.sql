-- Guardrails scoped to a segment's members (issue 12): exclude them from promotional sends, cap them tighter, or let them
-- hibernate sooner.
CREATE TABLE `segment_guardrails` (
	`store_id` text NOT NULL,
	`segment_id` text NOT NULL,
	`exclude` integer DEFAULT false NOT NULL,
	`cap` integer,
	`window_days` integer DEFAULT 7 NOT NULL,
	`hibernation_days` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`store_id`, `segment_id`)
);
--> statement-breakpoint
-- ISO 3166-1 alpha-2 country of the contact's latest WooCommerce billing (else shipping) address, for location segments.
ALTER TABLE `contacts` ADD `country` text;
