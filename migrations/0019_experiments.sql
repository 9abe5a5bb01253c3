ALTER TABLE `journey_enrollments` ADD `variant` text;--> statement-breakpoint
ALTER TABLE `journey_enrollments` ADD `held_out` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `journey_enrollments_experiment` ON `journey_enrollments` (`store_id`,`flow_id`,`entered_at`);
