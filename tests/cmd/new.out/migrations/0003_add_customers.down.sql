-- 0003_add_customers: down
-- Undo everything the up file does; delete this file if that is impossible.

