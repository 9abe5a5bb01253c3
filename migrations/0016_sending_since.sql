ALTER TABLE `messages` ADD `sending_since` integer;--> statement-breakpoint
CREATE INDEX `messages_sending` ON `messages` (`status`,`sending_since`);
