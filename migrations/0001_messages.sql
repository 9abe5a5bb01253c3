CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`flow_id` text,
	`step_id` text,
	`enrollment_id` text,
	`idempotency_key` text NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`subject` text,
	`html` text,
	`text` text NOT NULL,
	`to` text NOT NULL,
	`provider_message_id` text,
	`error` text,
	`retryable` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_store_idempotency` ON `messages` (`store_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `messages_store_contact` ON `messages` (`store_id`,`contact_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `messages_store_provider_id` ON `messages` (`store_id`,`provider_message_id`);