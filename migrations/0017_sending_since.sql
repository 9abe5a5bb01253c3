ALTER TABLE `messages` ADD `sending_since` integer;--> statement-breakpoint
CREATE INDEX `messages_store_sending` ON `messages` (`store_id`,`status`,`sending_since`);
