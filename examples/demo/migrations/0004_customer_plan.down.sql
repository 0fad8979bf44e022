ALTER TABLE dbo.customers DROP CONSTRAINT df_customers_plan;
ALTER TABLE dbo.customers DROP COLUMN [plan];
