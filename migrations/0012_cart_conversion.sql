-- The order that converted a cart (set when the plugin or an order webhook reports the order).
ALTER TABLE `carts` ADD `order_id` integer;
