ALTER TABLE `messages` ADD `from_address` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `reply_to` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `tag` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `list_unsubscribe_url` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `metadata` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `message_stream` text;