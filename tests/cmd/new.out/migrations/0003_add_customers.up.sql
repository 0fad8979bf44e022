-- 0003_add_customers: up
-- T-SQL for SQL Server; a line holding only GO separates batches.
-- Directives go in these leading comments: `-- wsdb:no-transaction`, `-- wsdb:timeout=30m`.

