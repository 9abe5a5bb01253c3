CREATE INDEX `contacts_store_created` ON `contacts` (`store_id`,`created_at`,`id`);
